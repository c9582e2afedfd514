// Fused CPU kernels for the training hot path, each a custom autograd function with a one-pass backward:
//  - dropout: libtorch 1.13's CPU dropout draws its mask with bernoulli_ (one scalar Mersenne-Twister draw per
//    element, ~10 ns) and keeps it as a float tensor; here the mask comes from a counter-based stream (SplitMix64
//    of seed + index) seeded by one draw from the default generator, so manual_seed still fixes every mask, and
//    it is kept as one byte per element.
//  - label-smoothed cross entropy over (N, V) logits: one pass computes each row's log-sum-exp, loss and argmax;
//    the backward writes softmax − target distribution directly. No (N, V) log-probabilities are materialised.
//  - Adam/AdamW: one pass per parameter reading param, grad and both moments once, instead of the ~10 element-wise
//    operators of the single-tensor update (equal to it within float rounding; the unfused path stays bit-exact).
// Anything these kernels do not cover (other devices or dtypes) falls back to the ATen operator.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

constexpr int64_t kGrain = 16384;

// Each kernel body is written once (an always-inline static `run`) and compiled for AVX2+FMA and for the baseline;
// the CPU picks at run time. The bodies are plain loops without branches, which GCC vectorizes.
bool has_avx2() {
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return avx2;
}
template <class Kernel, class... Args>
__attribute__((target("avx2,fma"))) void run_avx2(Args... args) { Kernel::run(args...); }
template <class Kernel, class... Args>
void run_baseline(Args... args) { Kernel::run(args...); }
template <class Kernel, class... Args>
void run_best(Args... args) {
    if (has_avx2()) run_avx2<Kernel>(args...);
    else run_baseline<Kernel>(args...);
}

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

// Elements [begin, end) with begin even: element i uses half i % 2 of splitmix64(seed + (i / 2) · golden ratio).
template <typename T>
struct DropoutForward {
    static inline __attribute__((always_inline)) void run(const T* __restrict in, T* __restrict out, uint8_t* __restrict mask,
                                                          int64_t begin, int64_t end, uint64_t seed, uint32_t threshold, T scale) {
        const int64_t pairs_end = begin + (end - begin) / 2 * 2;
        for (int64_t i = begin; i < pairs_end; i += 2) {
            const uint64_t r = splitmix64(seed + static_cast<uint64_t>(i / 2) * 0x9E3779B97F4A7C15ULL);
            const bool k0 = static_cast<uint32_t>(r) >= threshold, k1 = static_cast<uint32_t>(r >> 32) >= threshold;
            mask[i] = k0;
            mask[i + 1] = k1;
            out[i] = in[i] * (k0 ? scale : T(0));
            out[i + 1] = in[i + 1] * (k1 ? scale : T(0));
        }
        if (pairs_end < end) {
            const bool k = static_cast<uint32_t>(splitmix64(seed + static_cast<uint64_t>(pairs_end / 2) * 0x9E3779B97F4A7C15ULL)) >= threshold;
            mask[pairs_end] = k;
            out[pairs_end] = in[pairs_end] * (k ? scale : T(0));
        }
    }
};

template <typename T>
struct DropoutBackward {
    static inline __attribute__((always_inline)) void run(const T* __restrict grad, const uint8_t* __restrict mask, T* __restrict out,
                                                          int64_t begin, int64_t end, T scale) {
        for (int64_t i = begin; i < end; ++i) out[i] = grad[i] * (mask[i] ? scale : T(0));
    }
};

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
                run_best<DropoutForward<scalar_t>>(in, o, m, 2 * begin, std::min(2 * end, n), seed, threshold, scale);
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
                run_best<DropoutBackward<scalar_t>>(in, m, o, begin, end, s);
            });
        });
        return {gx, Tensor()};
    }
};

// exp for the cross-entropy kernels: Cephes' expf (range reduction by ln 2 in two parts, a degree-6 polynomial, the
// exponent put in by bit arithmetic), relative error ~2 ulp; scalar, and 8 lanes at a time with AVX2+FMA.
inline float scalar_exp(float x) {
    x = std::min(std::max(x, -87.3f), 88.3f);
    const float fx = std::floor(x * 1.44269504088896341f + 0.5f);
    const float r = (x - fx * 0.693359375f) - fx * -2.12194440e-4f;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * (r * r) + r + 1.0f;
    return y * std::ldexp(1.0f, static_cast<int>(fx));
}

__attribute__((target("avx2,fma"))) inline __m256 exp8(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3f));
    const __m256 fx = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
    __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

__attribute__((target("avx2,fma"))) inline float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) inline float horizontal_max(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

// One row of the forward: max, Σ exp(x − max) and Σ x (two passes over the row).
__attribute__((target("avx2,fma"))) void cross_entropy_row_avx2(const float* x, int64_t n, float* max_out, float* sum_exp_out, float* sum_out) {
    int64_t j = 0;
    __m256 vm = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    for (; j + 8 <= n; j += 8) vm = _mm256_max_ps(vm, _mm256_loadu_ps(x + j));
    float m = horizontal_max(vm);
    for (; j < n; ++j) m = std::max(m, x[j]);
    __m256 vs = _mm256_setzero_ps(), vx = _mm256_setzero_ps();
    const __m256 vmax = _mm256_set1_ps(m);
    j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m256 v = _mm256_loadu_ps(x + j);
        vs = _mm256_add_ps(vs, exp8(_mm256_sub_ps(v, vmax)));
        vx = _mm256_add_ps(vx, v);
    }
    float sum_exp = horizontal_sum(vs), sum = horizontal_sum(vx);
    for (; j < n; ++j) {
        sum_exp += scalar_exp(x[j] - m);
        sum += x[j];
    }
    *max_out = m;
    *sum_exp_out = sum_exp;
    *sum_out = sum;
}

void cross_entropy_row_baseline(const float* x, int64_t n, float* max_out, float* sum_exp_out, float* sum_out) {
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < n; ++j) m = std::max(m, x[j]);
    float sum_exp = 0, sum = 0;
    for (int64_t j = 0; j < n; ++j) {
        sum_exp += scalar_exp(x[j] - m);
        sum += x[j];
    }
    *max_out = m;
    *sum_exp_out = sum_exp;
    *sum_out = sum;
}

// One row of the backward: scale · exp(x − lse) − offset (the one-hot part is subtracted by the caller).
__attribute__((target("avx2,fma"))) void cross_entropy_row_backward_avx2(const float* x, float* out, int64_t n, float lse, float scale, float offset) {
    const __m256 vl = _mm256_set1_ps(lse), vscale = _mm256_set1_ps(scale), voffset = _mm256_set1_ps(offset);
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(out + j, _mm256_fmsub_ps(vscale, exp8(_mm256_sub_ps(_mm256_loadu_ps(x + j), vl)), voffset));
    for (; j < n; ++j) out[j] = scale * scalar_exp(x[j] - lse) - offset;
}

void cross_entropy_row_backward_baseline(const float* x, float* out, int64_t n, float lse, float scale, float offset) {
    for (int64_t j = 0; j < n; ++j) out[j] = scale * scalar_exp(x[j] - lse) - offset;
}

// Label-smoothed cross entropy with ignore_index and mean reduction, as at::cross_entropy_loss computes it:
// (1 − ε)·mean(nll) + ε/V · Σ_valid Σ_j −log p_ij / n_valid. Outputs: the loss and [valid rows, argmax hits].
struct FusedCrossEntropy : public torch::autograd::Function<FusedCrossEntropy> {
    static variable_list forward(AutogradContext* ctx, const Tensor& logits, const Tensor& target, int64_t ignore_index, double smoothing) {
        auto x = logits.contiguous();
        auto t = target.contiguous();
        const int64_t rows = x.size(0), classes = x.size(1);
        auto lse = at::empty({rows}, x.options());
        const float* xp = x.data_ptr<float>();
        const int64_t* tp = t.data_ptr<int64_t>();
        float* lp = lse.data_ptr<float>();
        std::vector<double> row_loss(static_cast<size_t>(rows), 0.0);
        std::vector<uint8_t> row_hit(static_cast<size_t>(rows), 0);
        at::parallel_for(0, rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(classes, 1)), [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float* row = xp + i * classes;
                float m, sum_exp, sum;
                (has_avx2() ? cross_entropy_row_avx2 : cross_entropy_row_baseline)(row, classes, &m, &sum_exp, &sum);
                const float l = m + std::log(sum_exp);
                lp[i] = l;
                const int64_t label = tp[i];
                if (label == ignore_index) continue;
                TORCH_CHECK(label >= 0 && label < classes, "Target ", label, " is out of bounds.");
                row_loss[static_cast<size_t>(i)] = static_cast<double>(l) - (1 - smoothing) * row[label] -
                                                   smoothing / static_cast<double>(classes) * sum;
                // argmax: the first maximal value, or the first NaN (as torch.argmax treats NaN as the maximum).
                int64_t best = 0;
                if (std::isnan(l)) {
                    while (best < classes && !std::isnan(row[best])) ++best;
                    if (best == classes) best = 0;
                } else {
                    while (best < classes && row[best] != m) ++best;
                }
                row_hit[static_cast<size_t>(i)] = best == label;
            }
        });
        int64_t valid = 0, hits = 0;
        double total = 0;
        for (int64_t i = 0; i < rows; ++i) {
            if (tp[i] == ignore_index) continue;
            ++valid;
            hits += row_hit[static_cast<size_t>(i)];
            total += row_loss[static_cast<size_t>(i)];
        }
        auto loss = at::scalar_tensor(valid == 0 ? std::numeric_limits<double>::quiet_NaN() : total / static_cast<double>(valid), x.options());
        auto counts = at::tensor({valid, hits}, at::TensorOptions().dtype(at::kLong));
        ctx->save_for_backward({x, t, lse});
        ctx->saved_data["ignore_index"] = ignore_index;
        ctx->saved_data["smoothing"] = smoothing;
        ctx->saved_data["valid"] = valid;
        ctx->mark_non_differentiable({counts});
        return {loss, counts};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &x = saved[0], &t = saved[1], &lse = saved[2];
        const int64_t ignore_index = ctx->saved_data["ignore_index"].toInt();
        const double smoothing = ctx->saved_data["smoothing"].toDouble();
        const int64_t valid = ctx->saved_data["valid"].toInt();
        const int64_t rows = x.size(0), classes = x.size(1);
        auto grad_in = at::empty_like(x, at::MemoryFormat::Contiguous);
        const float g = grads[0].defined() ? grads[0].item<float>() : 0.0f;
        const float scale = valid == 0 ? 0.0f : g / static_cast<float>(valid);
        const float offset = static_cast<float>(scale * smoothing / static_cast<double>(classes));
        const float on_target = static_cast<float>(scale * (1 - smoothing));
        const float* xp = x.data_ptr<float>();
        const int64_t* tp = t.data_ptr<int64_t>();
        const float* lp = lse.data_ptr<float>();
        float* gp = grad_in.data_ptr<float>();
        at::parallel_for(0, rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(classes, 1)), [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                float* out = gp + i * classes;
                if (tp[i] == ignore_index) {
                    std::fill(out, out + classes, 0.0f);
                    continue;
                }
                (has_avx2() ? cross_entropy_row_backward_avx2 : cross_entropy_row_backward_baseline)(xp + i * classes, out, classes, lp[i], scale, offset);
                out[tp[i]] -= on_target;
            }
        });
        return {grad_in, Tensor(), Tensor(), Tensor()};
    }
};

}  // namespace

namespace tsh {

bool fused_adam_applies(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq, const Tensor* max_exp_avg_sq) {
    auto ok = [&](const Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() && t.numel() == param.numel(); };
    return ok(param) && grad.defined() && !grad.is_sparse() && ok(grad) && ok(exp_avg) && ok(exp_avg_sq) && (max_exp_avg_sq == nullptr || ok(*max_exp_avg_sq));
}

namespace {
// The single-tensor update's operations in its order, per element, in float (as its kernels compute). The options
// are template parameters so the loop has no branches and vectorizes; it is compiled once for AVX2+FMA and once
// for the baseline, chosen at run time.
struct AdamScalars {
    float decay, wd, b1, one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, neg_step_size;
};

template <bool Decoupled, bool Maximize, bool Amsgrad>
inline __attribute__((always_inline)) void adam_body(float* __restrict p, const float* __restrict g, float* __restrict m,
                                                      float* __restrict v, float* __restrict vmax, int64_t n, AdamScalars c) {
    for (int64_t i = 0; i < n; ++i) {
        float grad = Maximize ? -g[i] : g[i];
        float param = p[i];
        if (Decoupled) param = param * c.decay;
        else grad = grad + c.wd * param;
        const float mi = m[i] * c.b1 + c.one_minus_b1 * grad;
        const float vi = v[i] * c.b2 + c.one_minus_b2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        float second = vi;
        if (Amsgrad) {
            second = vmax[i] > vi ? vmax[i] : vi;
            vmax[i] = second;
        }
        const float denom = std::sqrt(second) / c.bc2_sqrt + c.eps;
        p[i] = param + c.neg_step_size * (mi / denom);
    }
}

template <bool D, bool M, bool A>
struct AdamKernel {
    static inline __attribute__((always_inline)) void run(float* p, const float* g, float* m, float* v, float* vmax, int64_t n, AdamScalars c) {
        adam_body<D, M, A>(p, g, m, v, vmax, n, c);
    }
};

using AdamRunner = void (*)(float*, const float*, float*, float*, float*, int64_t, AdamScalars);

AdamRunner select_adam_kernel(bool decoupled, bool maximize, bool amsgrad) {
    const int key = (decoupled ? 4 : 0) | (maximize ? 2 : 0) | (amsgrad ? 1 : 0);
    switch (key) {
        case 0: return &run_best<AdamKernel<false, false, false>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 1: return &run_best<AdamKernel<false, false, true>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 2: return &run_best<AdamKernel<false, true, false>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 3: return &run_best<AdamKernel<false, true, true>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 4: return &run_best<AdamKernel<true, false, false>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 5: return &run_best<AdamKernel<true, false, true>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        case 6: return &run_best<AdamKernel<true, true, false>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
        default: return &run_best<AdamKernel<true, true, true>, float*, const float*, float*, float*, float*, int64_t, AdamScalars>;
    }
}
}  // namespace

void fused_adam_update(Tensor& param, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, Tensor* max_exp_avg_sq, double step,
                       double lr, double beta1, double beta2, double eps, double weight_decay, bool decoupled, bool maximize) {
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const AdamScalars c{static_cast<float>(1 - lr * weight_decay), static_cast<float>(weight_decay), static_cast<float>(beta1),
                        static_cast<float>(1 - beta1), static_cast<float>(beta2), static_cast<float>(1 - beta2),
                        static_cast<float>(std::sqrt(bias_correction2)), static_cast<float>(eps),
                        static_cast<float>(-lr / bias_correction1)};
    const AdamRunner kernel = select_adam_kernel(decoupled, maximize, max_exp_avg_sq != nullptr);
    float* vmax = max_exp_avg_sq != nullptr ? max_exp_avg_sq->data_ptr<float>() : nullptr;
    float* p = param.data_ptr<float>();
    const float* g = grad.data_ptr<float>();
    float* m = exp_avg.data_ptr<float>();
    float* v = exp_avg_sq.data_ptr<float>();
    at::parallel_for(0, param.numel(), kGrain, [&](int64_t begin, int64_t end) {
        kernel(p + begin, g + begin, m + begin, v + begin, vmax != nullptr ? vmax + begin : nullptr, end - begin, c);
    });
}

}  // namespace tsh

// Cross entropy over (N, C) logits with ignore_index, label smoothing and mean reduction, plus the number of
// non-ignored rows and of rows whose argmax is the target. Fused for float32 CPU logits; otherwise ATen's ops.
TSH_API int tsh_fused_cross_entropy(const Tensor* logits, const Tensor* target, int64_t ignore_index, double label_smoothing,
                                    Tensor** loss, int64_t* valid, int64_t* correct) {
    TSH_OUT(loss);
    TSH_GUARD(
        TORCH_CHECK(valid != nullptr && correct != nullptr, "null count out-parameter");
        TORCH_CHECK(logits->dim() == 2 && target->dim() == 1 && logits->size(0) == target->size(0),
                    "fused_cross_entropy expects logits (N, C) and targets (N), got ", logits->sizes(), " and ", target->sizes());
        TORCH_CHECK(target->scalar_type() == at::kLong, "fused_cross_entropy expects int64 targets, got ", target->scalar_type());
        if (logits->device().is_cpu() && target->device().is_cpu() && logits->scalar_type() == at::kFloat && logits->size(1) > 0) {
            auto outputs = FusedCrossEntropy::apply(*logits, *target, ignore_index, label_smoothing);
            *valid = outputs[1][0].item<int64_t>();
            *correct = outputs[1][1].item<int64_t>();
            *loss = tsh::wrap(outputs[0]);
        } else {
            auto l = at::cross_entropy_loss(*logits, *target, c10::nullopt, at::Reduction::Mean, ignore_index, label_smoothing);
            at::NoGradGuard no_grad;
            auto real = target->ne(ignore_index);
            *valid = real.sum().item<int64_t>();
            *correct = (logits->argmax(-1).eq(*target) & real).sum().item<int64_t>();
            *loss = tsh::wrap(l);
        });
}

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
