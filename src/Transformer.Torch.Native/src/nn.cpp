// Neural-network functions (activations, normalisation, dropout, losses), autograd and the fused
// optimizer helpers that keep per-parameter loops out of P/Invoke.
#include "shim.h"

#include <torch/nn/utils/clip_grad.h>

TSH_API int tsh_softmax(const Tensor* x, int64_t d, int32_t dtype, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::softmax(*x, d, tsh::dtype(dtype))));
}
TSH_API int tsh_log_softmax(const Tensor* x, int64_t d, int32_t dtype, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::log_softmax(*x, d, tsh::dtype(dtype))));
}
TSH_API int tsh_dropout(const Tensor* x, double p, int32_t train, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::dropout(*x, p, train != 0)));
}
TSH_API int tsh_layer_norm(const Tensor* x, const int64_t* shape, int64_t n, const Tensor* w, const Tensor* b, double eps, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::layer_norm(*x, tsh::dims(shape, n), tsh::optional(w), tsh::optional(b), eps)));
}
// padding_idx: INT64_MIN for none; a negative index counts from the end, as in F.embedding (at::embedding
// itself takes -1 to mean "no padding", so it must be normalised here).
TSH_API int tsh_embedding(const Tensor* weight, const Tensor* indices, int64_t padding_idx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        int64_t pad = -1;
        if (padding_idx != tsh::kNone) {
            TORCH_CHECK(weight->dim() >= 1, "embedding weight must have at least one dimension");
            const auto rows = weight->size(0);
            TORCH_CHECK(padding_idx < rows && padding_idx >= -rows, "Padding_idx must be within num_embeddings (padding_idx ",
                        padding_idx, ", num_embeddings ", rows, ")");
            pad = padding_idx < 0 ? rows + padding_idx : padding_idx;
        }
        *out = tsh::wrap(at::embedding(*weight, *indices, pad)));
}

// reduction: 0 = none, 1 = mean, 2 = sum (at::Reduction's values).
TSH_API int tsh_cross_entropy(const Tensor* input, const Tensor* target, const Tensor* weight, int64_t reduction,
                              int64_t ignore_index, double label_smoothing, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::cross_entropy_loss(*input, *target, tsh::optional(weight), reduction, ignore_index, label_smoothing)));
}
TSH_API int tsh_nll_loss(const Tensor* input, const Tensor* target, const Tensor* weight, int64_t reduction,
                         int64_t ignore_index, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::nll_loss_nd(*input, *target, tsh::optional(weight), reduction, ignore_index)));
}
TSH_BINARY(mse_loss, at::mse_loss(*a, *b))

// ---- autograd ----
TSH_API int tsh_backward(const Tensor* x, const Tensor* grad, int32_t retain_graph, int32_t create_graph) {
    TSH_GUARD(x->backward(grad ? *grad : Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0));
}
// An absent gradient comes back as a null handle with status 0.
TSH_API int tsh_grad(const Tensor* x, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(const auto& g = x->grad(); if (g.defined()) *out = new Tensor(g));
}
// Checks what PyTorch's `x.grad = g` checks: a gradient that does not fit would fail (or silently
// broadcast) only later, in backward or in the optimizer.
TSH_API int tsh_set_grad(Tensor* x, const Tensor* grad) {
    TSH_GUARD(
        if (grad != nullptr) {
            TORCH_CHECK(!x->is_same(*grad), "can't assign Variable as its own grad");
            TORCH_CHECK(grad->scalar_type() == x->scalar_type(), "assigned grad has data of a different type (",
                        grad->scalar_type(), " for a ", x->scalar_type(), " tensor)");
            TORCH_CHECK(grad->device() == x->device(), "assigned grad has data located on a different device");
            TORCH_CHECK(grad->sizes().equals(x->sizes()), "assigned grad has data of a different size (",
                        grad->sizes(), " for a tensor of size ", x->sizes(), ")");
        }
        x->mutable_grad() = grad ? *grad : Tensor());
}
// set_to_none = 1 drops the gradient (PyTorch 2's default); otherwise zeroes it in place.
TSH_API int tsh_zero_grad(Tensor* const* params, int64_t n, int32_t set_to_none) {
    TSH_GUARD(
        for (int64_t i = 0; i < n; ++i) {
            auto& g = params[i]->mutable_grad();
            if (!g.defined()) continue;
            if (set_to_none) g.reset();
            else { g = g.detach(); g.zero_(); }
        });
}

// ---- optimizers: one call per step, PyTorch 1.13's single-tensor math, in its order ----
// AdamW (decoupled = 1) or Adam (weight decay added to the gradient). `steps` holds each
// parameter's step count after this update; parameters without a gradient are skipped by the caller.
// fused = 1 runs the one-pass kernel wherever it applies (contiguous float32 on the CPU).
TSH_API int tsh_adam_step(Tensor* const* params, Tensor* const* exp_avgs, Tensor* const* exp_avg_sqs,
                          Tensor* const* max_exp_avg_sqs, const int64_t* steps, int64_t n, double lr, double beta1,
                          double beta2, double eps, double weight_decay, int32_t decoupled, int32_t amsgrad, int32_t maximize,
                          int32_t fused) {
    TSH_GUARD(
        at::NoGradGuard no_grad;
        for (int64_t i = 0; i < n; ++i) {
            auto& param = *params[i];
            Tensor* max_sq = amsgrad ? max_exp_avg_sqs[i] : nullptr;
            if (fused && tsh::fused_adam_applies(param, param.grad(), *exp_avgs[i], *exp_avg_sqs[i], max_sq)) {
                tsh::fused_adam_update(param, param.grad(), *exp_avgs[i], *exp_avg_sqs[i], max_sq, static_cast<double>(steps[i]),
                                       lr, beta1, beta2, eps, weight_decay, decoupled != 0, maximize != 0);
                continue;
            }
            auto grad = maximize ? -param.grad() : param.grad();
            auto& exp_avg = *exp_avgs[i];
            auto& exp_avg_sq = *exp_avg_sqs[i];
            if (weight_decay != 0) {
                if (decoupled) param.mul_(1 - lr * weight_decay);
                else grad = grad.add(param, weight_decay);
            }
            exp_avg.mul_(beta1).add_(grad, 1 - beta1);
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            double step = static_cast<double>(steps[i]);
            double bias_correction1 = 1 - std::pow(beta1, step);
            double bias_correction2 = 1 - std::pow(beta2, step);
            double step_size = lr / bias_correction1;
            double bias_correction2_sqrt = std::sqrt(bias_correction2);
            Tensor denom;
            if (amsgrad) {
                at::maximum_out(*max_exp_avg_sqs[i], *max_exp_avg_sqs[i], exp_avg_sq);
                denom = (max_exp_avg_sqs[i]->sqrt() / bias_correction2_sqrt).add_(eps);
            } else {
                denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);
            }
            param.addcdiv_(exp_avg, denom, -step_size);
        });
}

// SGD with momentum/dampening/nesterov, as torch.optim.SGD; `momentum_buffers[i]` may be null on
// the first step, in which case a buffer is created and returned through `new_buffers[i]`.
TSH_API int tsh_sgd_step(Tensor* const* params, Tensor* const* momentum_buffers, Tensor** new_buffers, int64_t n,
                         double lr, double momentum, double dampening, double weight_decay, int32_t nesterov, int32_t maximize) {
    TSH_GUARD(
        at::NoGradGuard no_grad;
        for (int64_t i = 0; i < n; ++i) new_buffers[i] = nullptr;
        for (int64_t i = 0; i < n; ++i) {
            auto& param = *params[i];
            auto d_p = maximize ? -param.grad() : param.grad();
            if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
            if (momentum != 0) {
                Tensor buf;
                if (momentum_buffers[i] == nullptr) {
                    buf = d_p.clone().detach();
                    new_buffers[i] = new Tensor(buf);
                } else {
                    buf = *momentum_buffers[i];
                    buf.mul_(momentum).add_(d_p, 1 - dampening);
                }
                d_p = nesterov ? d_p.add(buf, momentum) : buf;
            }
            param.add_(d_p, -lr);
        });
}

// Returns the total norm of all gradients (as if concatenated) and scales them to max_norm, as Python's
// torch.nn.utils.clip_grad_norm_ in 1.13 (libtorch's C++ helper differs for norm_type 0: it returns the
// number of gradients instead of the norm of the per-gradient norms).
TSH_API int tsh_clip_grad_norm_(Tensor* const* params, int64_t n, double max_norm, double norm_type, double* total) {
    TSH_OUT(total);
    TSH_GUARD(
        at::NoGradGuard no_grad;
        *total = 0.0;
        std::vector<Tensor> grads;
        for (int64_t i = 0; i < n; ++i)
            if (params[i]->grad().defined()) grads.push_back(params[i]->grad());
        if (grads.empty()) return 0;
        const auto device = grads[0].device();
        std::vector<Tensor> norms;
        norms.reserve(grads.size());
        Tensor total_norm;
        if (std::isinf(norm_type) && norm_type > 0) {
            for (const auto& g : grads) norms.push_back(g.detach().abs().max().to(device));
            total_norm = norms.size() == 1 ? norms[0] : at::max(at::stack(norms));
        } else {
            // torch.norm(x, p) runs _VF.norm(x, p, dim=[0, …, ndim-1]).
            auto vector_norm = [norm_type](const Tensor& x) {
                std::vector<int64_t> dims(static_cast<size_t>(x.dim()));
                for (size_t d = 0; d < dims.size(); ++d) dims[d] = static_cast<int64_t>(d);
                return at::norm(x, c10::optional<at::Scalar>(norm_type), dims, false);
            };
            for (const auto& g : grads) norms.push_back(vector_norm(g.detach()).to(device));
            total_norm = vector_norm(at::stack(norms));
        }
        // Python's `max_norm / tensor` is Tensor.__rdiv__: tensor.reciprocal() * max_norm.
        auto clip_coef_clamped = at::clamp((total_norm + 1e-6).reciprocal() * max_norm, c10::nullopt, 1.0);
        for (auto& g : grads) g.detach().mul_(clip_coef_clamped.to(g.device()));
        *total = total_norm.item<double>());
}
