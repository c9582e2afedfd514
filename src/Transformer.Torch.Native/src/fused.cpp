// Fused CPU kernels for the training hot path, each a custom autograd function with a one-pass backward:
//  - dropout: libtorch 1.13's CPU dropout draws its mask with bernoulli_ (one scalar Mersenne-Twister draw per
//    element, ~10 ns) and keeps it as a float tensor; here the mask comes from a counter-based stream (SplitMix64
//    of seed + index) seeded by one draw from the default generator, so manual_seed still fixes every mask, and
//    it is kept as one byte per element.
//  - label-smoothed cross entropy over (N, V) logits: one pass computes each row's log-sum-exp, loss and argmax;
//    the backward writes softmax − target distribution directly. No (N, V) log-probabilities are materialised.
// Anything these kernels do not cover (other devices or dtypes) falls back to the ATen operator.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <limits>
#include <mutex>

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

constexpr int64_t kGrain = 16384;

inline uint64_t splitmix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// One 64-bit draw from the default CPU generator (the state torch.manual_seed and get_rng_state cover).
uint64_t draw_seed() {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

bool fused_dropout_applies(const Tensor& x, double p) {
    return x.device().is_cpu() && (x.scalar_type() == at::kFloat || x.scalar_type() == at::kDouble) && p > 0 && p < 1 &&
           x.layout() == at::kStrided;
}

// y = x · (kept ? scale : 0), so NaN and ±inf propagate exactly as in x * mask.
struct FusedDropout : public torch::autograd::Function<FusedDropout> {
    static Tensor forward(AutogradContext* ctx, const Tensor& x, double p) {
        auto input = x.contiguous();
        auto out = at::empty_like(input, at::MemoryFormat::Contiguous);
        auto mask = at::empty(input.sizes(), input.options().dtype(at::kByte));
        const uint64_t seed = draw_seed();
        const auto threshold = static_cast<uint32_t>(std::min(p * 4294967296.0, 4294967295.0));
        const int64_t n = input.numel();
        AT_DISPATCH_FLOATING_TYPES(input.scalar_type(), "fused_dropout", [&] {
            const scalar_t scale = static_cast<scalar_t>(1.0 / (1.0 - p));
            const scalar_t* in = input.data_ptr<scalar_t>();
            scalar_t* o = out.data_ptr<scalar_t>();
            uint8_t* m = mask.data_ptr<uint8_t>();
            // Two 32-bit uniforms per SplitMix64 output; chunks start on even indices so the stream is independent
            // of how the range is split between threads.
            at::parallel_for(0, (n + 1) / 2, kGrain, [&](int64_t begin, int64_t end) {
                for (int64_t pair = begin; pair < end; ++pair) {
                    const uint64_t r = splitmix64(seed + static_cast<uint64_t>(pair) * 0x9E3779B97F4A7C15ULL);
                    const int64_t i = 2 * pair;
                    const bool k0 = static_cast<uint32_t>(r) >= threshold;
                    m[i] = k0;
                    o[i] = in[i] * (k0 ? scale : scalar_t(0));
                    if (i + 1 < n) {
                        const bool k1 = static_cast<uint32_t>(r >> 32) >= threshold;
                        m[i + 1] = k1;
                        o[i + 1] = in[i + 1] * (k1 ? scale : scalar_t(0));
                    }
                }
            });
        });
        ctx->save_for_backward({mask});
        ctx->saved_data["scale"] = 1.0 / (1.0 - p);
        return out;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto mask = ctx->get_saved_variables()[0];
        const double scale = ctx->saved_data["scale"].toDouble();
        const auto& grad = grads[0];
        if (grad.requires_grad())  // create_graph: stay differentiable
            return {grad * mask.to(grad.scalar_type()) * scale, Tensor()};
        auto g = grad.contiguous();
        auto gx = at::empty_like(g, at::MemoryFormat::Contiguous);
        const int64_t n = g.numel();
        AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "fused_dropout_backward", [&] {
            const scalar_t s = static_cast<scalar_t>(scale);
            const scalar_t* in = g.data_ptr<scalar_t>();
            const uint8_t* m = mask.data_ptr<uint8_t>();
            scalar_t* o = gx.data_ptr<scalar_t>();
            at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i) o[i] = in[i] * (m[i] ? s : scalar_t(0));
            });
        });
        return {gx, Tensor()};
    }
};

}  // namespace

TSH_API int tsh_fused_dropout(const Tensor* x, double p, int32_t train, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        if (train == 0 || p == 0) *out = tsh::wrap(*x);
        else if (!fused_dropout_applies(*x, p)) *out = tsh::wrap(at::dropout(*x, p, true));
        else *out = tsh::wrap(FusedDropout::apply(*x, p)));
}

// ---- profiling ----
// Records every ATen operator of this thread between start and stop into a chrome://tracing file
// (libtorch's legacy autograd profiler), the same event names PyTorch's profiler shows.
#include <torch/csrc/autograd/profiler_legacy.h>

namespace {
std::unique_ptr<torch::autograd::profiler::RecordProfile> active_profile;
}

TSH_API int tsh_profiler_start(const char* path) {
    TSH_GUARD(
        TORCH_CHECK(path != nullptr, "null trace path");
        TORCH_CHECK(!active_profile, "the profiler is already recording");
        active_profile = std::make_unique<torch::autograd::profiler::RecordProfile>(std::string(path)));
}
TSH_API int tsh_profiler_stop() {
    TSH_GUARD(
        TORCH_CHECK(active_profile, "the profiler is not recording");
        active_profile.reset());
}
