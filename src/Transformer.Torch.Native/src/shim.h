// Shared plumbing of the native shim: the handle type, the status/error convention and the
// argument converters every export uses. Only symbols prefixed `tsh_` leave the library.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/torch.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

// A tensor handle is a heap-allocated at::Tensor (one intrusive pointer); the managed side owns it
// and frees it with tsh_free.
using Tensor = at::Tensor;

#define TSH_API extern "C" __attribute__((visibility("default")))

// Scalars cross the boundary with their kind so `int_tensor + 2` stays integral, as in PyTorch.
struct tsh_scalar {
    int32_t kind;  // 0 = integer, 1 = floating, 2 = boolean
    int64_t i;
    double d;
};

namespace tsh {

void set_error(const char* message);

inline at::Scalar scalar(tsh_scalar s) {
    switch (s.kind) {
        case 0: return at::Scalar(s.i);
        case 2: return at::Scalar(s.i != 0);
        default: return at::Scalar(s.d);
    }
}

inline Tensor* wrap(Tensor t) { return new Tensor(std::move(t)); }

inline at::IntArrayRef dims(const int64_t* values, int64_t n) {
    TORCH_CHECK(n >= 0 && (n == 0 || values != nullptr), "invalid dimension list (length ", n, ")");
    return at::IntArrayRef(values, static_cast<size_t>(n));
}

inline std::vector<Tensor> tensors(Tensor* const* handles, int64_t n) {
    TORCH_CHECK(n >= 0 && (n == 0 || handles != nullptr), "invalid tensor list (length ", n, ")");
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        TORCH_CHECK(handles[i] != nullptr, "tensor list element ", i, " is null");
        out.push_back(*handles[i]);
    }
    return out;
}

inline c10::optional<Tensor> optional(const Tensor* t) {
    return t == nullptr ? c10::optional<Tensor>() : c10::optional<Tensor>(*t);
}

// Optional integers use INT64_MIN as "none"; optional dtypes use -1.
constexpr int64_t kNone = INT64_MIN;
inline c10::optional<int64_t> optional(int64_t v) {
    return v == kNone ? c10::optional<int64_t>() : c10::optional<int64_t>(v);
}
inline c10::optional<at::ScalarType> dtype(int32_t v) {
    return v < 0 ? c10::optional<at::ScalarType>() : c10::optional<at::ScalarType>(static_cast<at::ScalarType>(v));
}

// A device the caller asked for. CUDA is checked up front: without it libtorch fails deep in the
// dispatcher with a page-long "Could not run 'aten::empty…' with arguments from the 'CUDA' backend".
inline at::Device device(int32_t type, int32_t index) {
    TORCH_CHECK(type == static_cast<int32_t>(at::DeviceType::CPU) || type == static_cast<int32_t>(at::DeviceType::CUDA),
                "unsupported device type ", type, ": expected cpu or cuda");
    TORCH_CHECK(index >= -1, "invalid device index ", index);
    at::Device d(static_cast<at::DeviceType>(type), static_cast<at::DeviceIndex>(index));
    if (d.is_cuda()) {
        TORCH_CHECK(torch::cuda::is_available(), "CUDA device ", d, " requested, but CUDA is not available ",
                    "(torch.cuda.is_available() is false): this libtorch has no CUDA support or sees no GPU; ",
                    "use the cpu device, or build against a CUDA libtorch (LIBTORCH_DIR)");
        const auto count = static_cast<int64_t>(torch::cuda::device_count());
        TORCH_CHECK(index < count, "CUDA device ", d, " requested, but only ", count, " CUDA device(s) are available");
    }
    return d;
}

inline at::TensorOptions options(int32_t dtype_, int32_t device_type, int32_t device_index, bool requires_grad) {
    return at::TensorOptions()
        .dtype(static_cast<at::ScalarType>(dtype_))
        .device(device(device_type, device_index))
        .requires_grad(requires_grad);
}

}  // namespace tsh

// Every export: null the out-parameters, run the body, turn any C++ exception into status -1 with
// a thread-local message (libtorch's own text, without its 2 KB backtrace).
#define TSH_GUARD(...)                                                        \
    try {                                                                     \
        __VA_ARGS__;                                                          \
        return 0;                                                             \
    } catch (const c10::Error& e) {                                           \
        tsh::set_error(e.what_without_backtrace());                           \
    } catch (const std::exception& e) {                                       \
        tsh::set_error(e.what());                                             \
    } catch (...) {                                                           \
        tsh::set_error("unknown C++ exception in the native shim");           \
    }                                                                         \
    return -1;

#define TSH_OUT(p)                                                            \
    if ((p) == nullptr) {                                                     \
        tsh::set_error("null out-parameter");                                 \
        return -1;                                                            \
    }                                                                         \
    *(p) = {};

// The common shapes of export, each one line at the use site.
#define TSH_UNARY(name, expr)                                                 \
    TSH_API int tsh_##name(const Tensor* x, Tensor** out) {                   \
        TSH_OUT(out);                                                         \
        TSH_GUARD(*out = tsh::wrap(expr));                                    \
    }
#define TSH_UNARY_(name, expr)                                                \
    TSH_API int tsh_##name(Tensor* x) { TSH_GUARD(expr); }
#define TSH_BINARY(name, expr)                                                \
    TSH_API int tsh_##name(const Tensor* a, const Tensor* b, Tensor** out) {  \
        TSH_OUT(out);                                                         \
        TSH_GUARD(*out = tsh::wrap(expr));                                    \
    }
#define TSH_BINARY_(name, expr)                                               \
    TSH_API int tsh_##name(Tensor* a, const Tensor* b) { TSH_GUARD(expr); }
#define TSH_SCALAR(name, expr)                                                \
    TSH_API int tsh_##name(const Tensor* a, tsh_scalar s, Tensor** out) {     \
        TSH_OUT(out);                                                         \
        TSH_GUARD(*out = tsh::wrap(expr));                                    \
    }
#define TSH_SCALAR_(name, expr)                                               \
    TSH_API int tsh_##name(Tensor* a, tsh_scalar s) { TSH_GUARD(expr); }

namespace tsh {
// fused.cpp: the one-pass Adam/AdamW update for contiguous float32 CPU tensors.
bool fused_adam_applies(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq, const Tensor* max_exp_avg_sq);
void fused_adam_update(Tensor& param, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, Tensor* max_exp_avg_sq, double step,
                       double lr, double beta1, double beta2, double eps, double weight_decay, bool decoupled, bool maximize);
}  // namespace tsh
