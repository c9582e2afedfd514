// Element-wise arithmetic, comparisons, matrix products and in-place updates.
#include "shim.h"

// ---- arithmetic: tensor ⊕ tensor, tensor ⊕ scalar, and their in-place forms ----
TSH_API int tsh_add(const Tensor* a, const Tensor* b, tsh_scalar alpha, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::add(*a, *b, tsh::scalar(alpha))));
}
TSH_API int tsh_sub(const Tensor* a, const Tensor* b, tsh_scalar alpha, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::sub(*a, *b, tsh::scalar(alpha))));
}
TSH_API int tsh_add_(Tensor* a, const Tensor* b, tsh_scalar alpha) { TSH_GUARD(a->add_(*b, tsh::scalar(alpha))); }
TSH_API int tsh_sub_(Tensor* a, const Tensor* b, tsh_scalar alpha) { TSH_GUARD(a->sub_(*b, tsh::scalar(alpha))); }
TSH_BINARY(mul, at::mul(*a, *b))
TSH_BINARY(div, at::div(*a, *b))
TSH_BINARY(remainder, at::remainder(*a, *b))
TSH_BINARY(pow, at::pow(*a, *b))
TSH_BINARY(maximum, at::maximum(*a, *b))
TSH_BINARY(minimum, at::minimum(*a, *b))
TSH_BINARY_(mul_, a->mul_(*b))
TSH_BINARY_(div_, a->div_(*b))
TSH_BINARY_(copy_, a->copy_(*b))
TSH_SCALAR(add_scalar, at::add(*a, tsh::scalar(s)))
TSH_SCALAR(sub_scalar, at::sub(*a, tsh::scalar(s)))
TSH_SCALAR(rsub_scalar, at::rsub(*a, tsh::scalar(s)))
TSH_SCALAR(mul_scalar, at::mul(*a, tsh::scalar(s)))
TSH_SCALAR(div_scalar, at::div(*a, tsh::scalar(s)))
// As PyTorch's Tensor.__rtruediv__: reciprocal() * s, out of place (reciprocal's backward needs its result).
TSH_SCALAR(rdiv_scalar, at::reciprocal(*a).mul(tsh::scalar(s)))
TSH_SCALAR(remainder_scalar, at::remainder(*a, tsh::scalar(s)))
TSH_SCALAR(pow_scalar, at::pow(*a, tsh::scalar(s)))
TSH_SCALAR(rpow_scalar, at::pow(tsh::scalar(s), *a))
TSH_SCALAR_(add_scalar_, a->add_(tsh::scalar(s)))
TSH_SCALAR_(sub_scalar_, a->sub_(tsh::scalar(s)))
TSH_SCALAR_(mul_scalar_, a->mul_(tsh::scalar(s)))
TSH_SCALAR_(div_scalar_, a->div_(tsh::scalar(s)))
TSH_SCALAR_(fill_, a->fill_(tsh::scalar(s)))
TSH_UNARY_(zero_, x->zero_())

TSH_API int tsh_addcmul_(Tensor* x, const Tensor* a, const Tensor* b, tsh_scalar value) {
    TSH_GUARD(x->addcmul_(*a, *b, tsh::scalar(value)));
}
TSH_API int tsh_addcdiv_(Tensor* x, const Tensor* a, const Tensor* b, tsh_scalar value) {
    TSH_GUARD(x->addcdiv_(*a, *b, tsh::scalar(value)));
}
TSH_API int tsh_lerp_(Tensor* x, const Tensor* end, tsh_scalar weight) { TSH_GUARD(x->lerp_(*end, tsh::scalar(weight))); }

// ---- comparisons → bool tensors ----
TSH_BINARY(eq, at::eq(*a, *b))
TSH_BINARY(ne, at::ne(*a, *b))
TSH_BINARY(lt, at::lt(*a, *b))
TSH_BINARY(le, at::le(*a, *b))
TSH_BINARY(gt, at::gt(*a, *b))
TSH_BINARY(ge, at::ge(*a, *b))
TSH_SCALAR(eq_scalar, at::eq(*a, tsh::scalar(s)))
TSH_SCALAR(ne_scalar, at::ne(*a, tsh::scalar(s)))
TSH_SCALAR(lt_scalar, at::lt(*a, tsh::scalar(s)))
TSH_SCALAR(le_scalar, at::le(*a, tsh::scalar(s)))
TSH_SCALAR(gt_scalar, at::gt(*a, tsh::scalar(s)))
TSH_SCALAR(ge_scalar, at::ge(*a, tsh::scalar(s)))
TSH_BINARY(logical_and, at::logical_and(*a, *b))
TSH_BINARY(logical_or, at::logical_or(*a, *b))
TSH_UNARY(logical_not, at::logical_not(*x))
TSH_API int tsh_allclose(const Tensor* a, const Tensor* b, double rtol, double atol, int32_t* out) {
    TSH_OUT(out);
    TSH_GUARD(*out = at::allclose(*a, *b, rtol, atol) ? 1 : 0);
}
TSH_API int tsh_equal(const Tensor* a, const Tensor* b, int32_t* out) {
    TSH_OUT(out);
    TSH_GUARD(*out = at::equal(*a, *b) ? 1 : 0);
}

// ---- unary math ----
TSH_UNARY(neg, at::neg(*x))
TSH_UNARY(abs, at::abs(*x))
TSH_UNARY(sqrt, at::sqrt(*x))
TSH_UNARY(rsqrt, at::rsqrt(*x))
TSH_UNARY(exp, at::exp(*x))
TSH_UNARY(log, at::log(*x))
TSH_UNARY(sin, at::sin(*x))
TSH_UNARY(cos, at::cos(*x))
TSH_UNARY(tanh, at::tanh(*x))
TSH_UNARY(sigmoid, at::sigmoid(*x))
TSH_UNARY(relu, at::relu(*x))
TSH_UNARY(silu, at::silu(*x))
TSH_UNARY(floor, at::floor(*x))
TSH_UNARY(ceil, at::ceil(*x))
TSH_UNARY(round, at::round(*x))
TSH_UNARY(sign, at::sign(*x))
TSH_UNARY(reciprocal, at::reciprocal(*x))
TSH_UNARY(isnan, at::isnan(*x))
TSH_UNARY(isinf, at::isinf(*x))
TSH_UNARY(isfinite, at::isfinite(*x))
TSH_UNARY_(sqrt_, x->sqrt_())
TSH_UNARY_(neg_, x->neg_())
TSH_UNARY_(relu_, x->relu_())
TSH_UNARY_(exp_, x->exp_())
TSH_API int tsh_gelu(const Tensor* x, int32_t tanh_approx, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::gelu(*x, tanh_approx ? "tanh" : "none")));
}
// min/max may be absent (null); at least one must be given, as in PyTorch. They keep their kind, so
// an integer tensor clamped to integer bounds stays integral and floating bounds promote it.
static c10::optional<at::Scalar> bound(const tsh_scalar* s) {
    return s == nullptr ? c10::nullopt : c10::optional<at::Scalar>(tsh::scalar(*s));
}
TSH_API int tsh_clamp(const Tensor* x, const tsh_scalar* min, const tsh_scalar* max, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::clamp(*x, bound(min), bound(max))));
}
TSH_API int tsh_clamp_(Tensor* x, const tsh_scalar* min, const tsh_scalar* max) { TSH_GUARD(x->clamp_(bound(min), bound(max))); }

// ---- matrix products ----
TSH_BINARY(matmul, at::matmul(*a, *b))
TSH_BINARY(mm, at::mm(*a, *b))
TSH_BINARY(bmm, at::bmm(*a, *b))
TSH_BINARY(outer, at::outer(*a, *b))
TSH_API int tsh_baddbmm(const Tensor* self, const Tensor* a, const Tensor* b, tsh_scalar beta, tsh_scalar alpha, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::baddbmm(*self, *a, *b, tsh::scalar(beta), tsh::scalar(alpha))));
}
TSH_API int tsh_linear(const Tensor* x, const Tensor* w, const Tensor* b, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::linear(*x, *w, tsh::optional(b))));
}

// ---- in-place initialisation (under no_grad on the managed side) ----
TSH_API int tsh_uniform_(Tensor* x, double from, double to) { TSH_GUARD(x->uniform_(from, to)); }
TSH_API int tsh_normal_(Tensor* x, double mean, double std) { TSH_GUARD(x->normal_(mean, std)); }
TSH_API int tsh_bernoulli_(Tensor* x, double p) { TSH_GUARD(x->bernoulli_(p)); }
