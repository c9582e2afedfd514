// Tensor lifetime, properties, creation, raw data in/out, devices, RNG, threads and grad mode.
#include "shim.h"

#include <ATen/Parallel.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <dlfcn.h>

#include <cstring>

namespace tsh {
thread_local std::string last_error;
void set_error(const char* message) { last_error = message == nullptr ? "" : message; }
}  // namespace tsh

TSH_API const char* tsh_last_error() { return tsh::last_error.c_str(); }

TSH_API void tsh_free(Tensor* t) { delete t; }

// ---- properties (trivial, safe to call without a GC transition) ----
TSH_API int64_t tsh_dim(const Tensor* t) { return t->dim(); }
TSH_API int64_t tsh_numel(const Tensor* t) { return t->numel(); }
TSH_API int64_t tsh_nbytes(const Tensor* t) { return t->defined() ? static_cast<int64_t>(t->nbytes()) : 0; }
TSH_API int32_t tsh_dtype(const Tensor* t) { return static_cast<int32_t>(t->scalar_type()); }
TSH_API int32_t tsh_device_type(const Tensor* t) { return static_cast<int32_t>(t->device().type()); }
TSH_API int32_t tsh_device_index(const Tensor* t) { return t->device().index(); }
TSH_API int32_t tsh_requires_grad(const Tensor* t) { return t->requires_grad() ? 1 : 0; }
TSH_API int32_t tsh_is_leaf(const Tensor* t) { return t->is_leaf() ? 1 : 0; }
TSH_API int32_t tsh_is_contiguous(const Tensor* t) { return t->is_contiguous() ? 1 : 0; }
TSH_API int64_t tsh_element_size(int32_t dtype) { return static_cast<int64_t>(c10::elementSize(static_cast<at::ScalarType>(dtype))); }

TSH_API int tsh_sizes(const Tensor* t, int64_t* buf, int64_t cap) {
    TSH_GUARD(
        TORCH_CHECK(cap >= t->dim(), "shape buffer holds ", cap, " dimensions, tensor has ", t->dim());
        for (int64_t i = 0; i < t->dim(); ++i) buf[i] = t->size(i));
}
TSH_API int tsh_strides(const Tensor* t, int64_t* buf, int64_t cap) {
    TSH_GUARD(
        TORCH_CHECK(cap >= t->dim(), "stride buffer holds ", cap, " dimensions, tensor has ", t->dim());
        for (int64_t i = 0; i < t->dim(); ++i) buf[i] = t->stride(i));
}

TSH_API int tsh_set_requires_grad(Tensor* t, int32_t value) { TSH_GUARD(t->requires_grad_(value != 0)); }

// ---- creation ----
TSH_API int tsh_empty(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::empty(tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_zeros(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::zeros(tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_ones(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::ones(tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_full(const int64_t* shape, int64_t ndim, tsh_scalar value, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::full(tsh::dims(shape, ndim), tsh::scalar(value), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_rand(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::rand(tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_randn(const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, int32_t rg, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(torch::randn(tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, rg != 0))));
}
TSH_API int tsh_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::randint(low, high, tsh::dims(shape, ndim), tsh::options(dtype, dev, idx, false))));
}
TSH_API int tsh_arange(tsh_scalar start, tsh_scalar end, tsh_scalar step, int32_t dtype, int32_t dev, int32_t idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        auto opts = at::TensorOptions().device(tsh::device(dev, idx));
        if (dtype >= 0) opts = opts.dtype(static_cast<at::ScalarType>(dtype));
        *out = tsh::wrap(at::arange(tsh::scalar(start), tsh::scalar(end), tsh::scalar(step), opts)));
}
TSH_API int tsh_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t dev, int32_t idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::linspace(start, end, steps, tsh::options(dtype, dev, idx, false))));
}

// Copies `nbytes` of host memory into a new tensor; the length must match shape × element size.
TSH_API int tsh_from_buffer(const void* data, int64_t nbytes, const int64_t* shape, int64_t ndim, int32_t dtype, int32_t dev, int32_t idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        // Check the size before allocating: a wrong, huge shape must fail, not try to allocate.
        auto sizes = tsh::dims(shape, ndim);
        auto type = static_cast<at::ScalarType>(dtype);
        int64_t expected = static_cast<int64_t>(c10::elementSize(type));
        for (auto s : sizes) {
            TORCH_CHECK(s >= 0, "negative dimension ", s, " in shape ", sizes);
            TORCH_CHECK(s == 0 || expected <= INT64_MAX / s, "shape ", sizes, " of ", type, " overflows 64-bit sizes");
            expected *= s;
        }
        TORCH_CHECK(expected == nbytes, "buffer of ", nbytes, " bytes does not match shape ", sizes, " of ", type,
                    " (", expected, " bytes)");
        auto t = at::empty(sizes, at::TensorOptions().dtype(type));
        TORCH_CHECK(nbytes == 0 || data != nullptr, "null data buffer");
        if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
        auto target = tsh::device(dev, idx);
        *out = tsh::wrap(target.is_cpu() ? std::move(t) : t.to(target)));
}

// Copies the tensor's values (any device, any layout) into host memory of exactly its size.
TSH_API int tsh_to_buffer(const Tensor* t, void* data, int64_t nbytes) {
    TSH_GUARD(
        TORCH_CHECK(static_cast<int64_t>(t->nbytes()) == nbytes, "buffer of ", nbytes, " bytes does not match tensor of ",
                    t->sizes(), " ", t->scalar_type(), " (", t->nbytes(), " bytes)");
        auto c = t->detach().to(at::kCPU).contiguous();
        if (nbytes > 0) std::memcpy(data, c.data_ptr(), static_cast<size_t>(nbytes)));
}

TSH_API int tsh_item(const Tensor* t, tsh_scalar* out) {
    TSH_OUT(out);
    TSH_GUARD(
        auto s = t->item();
        if (s.isBoolean()) *out = tsh_scalar{2, s.toBool() ? 1 : 0, s.toBool() ? 1.0 : 0.0};
        else if (s.isIntegral(false)) *out = tsh_scalar{0, s.toLong(), static_cast<double>(s.toLong())};
        else *out = tsh_scalar{1, 0, s.toDouble()});
}

// ---- conversion and devices ----
TSH_API int tsh_to(const Tensor* t, int32_t dev, int32_t idx, int32_t dtype, int32_t copy, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        auto target_dtype = dtype < 0 ? t->scalar_type() : static_cast<at::ScalarType>(dtype);
        auto target = dev < 0 ? t->device() : tsh::device(dev, idx);
        *out = tsh::wrap(t->to(target, target_dtype, false, copy != 0)));
}
TSH_API int tsh_cuda_is_available() { return torch::cuda::is_available() ? 1 : 0; }
TSH_API int64_t tsh_cuda_device_count() { return static_cast<int64_t>(torch::cuda::device_count()); }

// ---- random number generators ----
TSH_API int tsh_manual_seed(int64_t seed) { TSH_GUARD(torch::manual_seed(static_cast<uint64_t>(seed))); }

static at::Generator default_generator(int32_t dev, int32_t idx) {
    auto d = tsh::device(dev, idx);
    if (d.is_cpu()) return at::detail::getDefaultCPUGenerator();
    return at::globalContext().defaultGenerator(d);
}
// State is a uint8 tensor, as torch.get_rng_state() returns.
TSH_API int tsh_get_rng_state(int32_t dev, int32_t idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        auto gen = default_generator(dev, idx);
        std::lock_guard<std::mutex> lock(gen.mutex());
        *out = tsh::wrap(gen.get_state()));
}
TSH_API int tsh_set_rng_state(int32_t dev, int32_t idx, const Tensor* state) {
    TSH_GUARD(
        auto gen = default_generator(dev, idx);
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(*state));
}

// ---- threads ----
// OpenBLAS is loaded by libtorch; reach its thread control without a link-time dependency.
TSH_API int tsh_set_num_threads(int32_t n) { TSH_GUARD(TORCH_CHECK(n > 0, "thread count must be positive, got ", n); at::set_num_threads(n)); }
TSH_API int32_t tsh_get_num_threads() { return at::get_num_threads(); }
TSH_API int32_t tsh_set_blas_threads(int32_t n) {
    using setter = void (*)(int);
    auto fn = reinterpret_cast<setter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (fn == nullptr) return 0;
    fn(n);
    return 1;
}
TSH_API int32_t tsh_get_blas_threads() {
    using getter = int (*)();
    auto fn = reinterpret_cast<getter>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn == nullptr ? -1 : fn();
}

// ---- grad mode (per thread, as in libtorch) ----
TSH_API int32_t tsh_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
TSH_API void tsh_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }

// Replaces the tensor's data in place, keeping its identity (Module.to moves parameters this way).
TSH_API int tsh_set_data(Tensor* x, const Tensor* data) { TSH_GUARD(x->set_data(*data)); }
