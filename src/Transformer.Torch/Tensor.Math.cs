// Element-wise arithmetic, comparisons, matrix products and the in-place updates optimizers use.
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Scalar One = 1;

        // ---- arithmetic ----
        public Tensor add(Tensor other) => Result(tsh_add(Handle, other.Handle, One, out var r), r);
        public Tensor add(Tensor other, Scalar alpha) => Result(tsh_add(Handle, other.Handle, alpha, out var r), r);
        public Tensor add(Scalar other) => Result(tsh_add_scalar(Handle, other, out var r), r);
        public Tensor sub(Tensor other) => Result(tsh_sub(Handle, other.Handle, One, out var r), r);
        public Tensor sub(Tensor other, Scalar alpha) => Result(tsh_sub(Handle, other.Handle, alpha, out var r), r);
        public Tensor sub(Scalar other) => Result(tsh_sub_scalar(Handle, other, out var r), r);
        public Tensor mul(Tensor other) => Result(tsh_mul(Handle, other.Handle, out var r), r);
        public Tensor mul(Scalar other) => Result(tsh_mul_scalar(Handle, other, out var r), r);
        public Tensor div(Tensor other) => Result(tsh_div(Handle, other.Handle, out var r), r);
        public Tensor div(Scalar other) => Result(tsh_div_scalar(Handle, other, out var r), r);
        public Tensor remainder(Tensor other) => Result(tsh_remainder(Handle, other.Handle, out var r), r);
        public Tensor remainder(Scalar other) => Result(tsh_remainder_scalar(Handle, other, out var r), r);
        public Tensor pow(Tensor exponent) => Result(tsh_pow(Handle, exponent.Handle, out var r), r);
        public Tensor pow(Scalar exponent) => Result(tsh_pow_scalar(Handle, exponent, out var r), r);
        public Tensor maximum(Tensor other) => Result(tsh_maximum(Handle, other.Handle, out var r), r);
        public Tensor minimum(Tensor other) => Result(tsh_minimum(Handle, other.Handle, out var r), r);

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
        public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
        public static Tensor operator -(Scalar a, Tensor b) => Result(tsh_rsub_scalar(b.Handle, a, out var r), r);
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
        public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
        public static Tensor operator /(Scalar a, Tensor b) => Result(tsh_rdiv_scalar(b.Handle, a, out var r), r);
        public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
        public static Tensor operator %(Tensor a, Scalar b) => a.remainder(b);
        public static Tensor operator -(Tensor a) => a.neg();

        // ---- comparisons → bool tensors (== and != keep .NET reference semantics: use eq/ne) ----
        public Tensor eq(Tensor other) => Result(tsh_eq(Handle, other.Handle, out var r), r);
        public Tensor eq(Scalar other) => Result(tsh_eq_scalar(Handle, other, out var r), r);
        public Tensor ne(Tensor other) => Result(tsh_ne(Handle, other.Handle, out var r), r);
        public Tensor ne(Scalar other) => Result(tsh_ne_scalar(Handle, other, out var r), r);
        public Tensor lt(Tensor other) => Result(tsh_lt(Handle, other.Handle, out var r), r);
        public Tensor lt(Scalar other) => Result(tsh_lt_scalar(Handle, other, out var r), r);
        public Tensor le(Tensor other) => Result(tsh_le(Handle, other.Handle, out var r), r);
        public Tensor le(Scalar other) => Result(tsh_le_scalar(Handle, other, out var r), r);
        public Tensor gt(Tensor other) => Result(tsh_gt(Handle, other.Handle, out var r), r);
        public Tensor gt(Scalar other) => Result(tsh_gt_scalar(Handle, other, out var r), r);
        public Tensor ge(Tensor other) => Result(tsh_ge(Handle, other.Handle, out var r), r);
        public Tensor ge(Scalar other) => Result(tsh_ge_scalar(Handle, other, out var r), r);
        public Tensor logical_and(Tensor other) => Result(tsh_logical_and(Handle, other.Handle, out var r), r);
        public Tensor logical_or(Tensor other) => Result(tsh_logical_or(Handle, other.Handle, out var r), r);
        public Tensor logical_not() => Result(tsh_logical_not(Handle, out var r), r);

        public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
        public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
        public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
        public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
        public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
        public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
        public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
        public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
        public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
        public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
        public static Tensor operator !(Tensor a) => a.logical_not();

        public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
        {
            Check(tsh_allclose(Handle, other.Handle, rtol, atol, out var r));
            return r != 0;
        }

        /// <summary>Same shape and same values (torch.equal).</summary>
        public bool equal(Tensor other)
        {
            Check(tsh_equal(Handle, other.Handle, out var r));
            return r != 0;
        }

        // ---- unary math ----
        public Tensor neg() => Result(tsh_neg(Handle, out var r), r);
        public Tensor abs() => Result(tsh_abs(Handle, out var r), r);
        public Tensor sqrt() => Result(tsh_sqrt(Handle, out var r), r);
        public Tensor rsqrt() => Result(tsh_rsqrt(Handle, out var r), r);
        public Tensor exp() => Result(tsh_exp(Handle, out var r), r);
        public Tensor log() => Result(tsh_log(Handle, out var r), r);
        public Tensor sin() => Result(tsh_sin(Handle, out var r), r);
        public Tensor cos() => Result(tsh_cos(Handle, out var r), r);
        public Tensor tanh() => Result(tsh_tanh(Handle, out var r), r);
        public Tensor sigmoid() => Result(tsh_sigmoid(Handle, out var r), r);
        public Tensor relu() => Result(tsh_relu(Handle, out var r), r);
        public Tensor silu() => Result(tsh_silu(Handle, out var r), r);
        public Tensor gelu(bool tanhApproximation = false) => Result(tsh_gelu(Handle, tanhApproximation ? 1 : 0, out var r), r);
        public Tensor floor() => Result(tsh_floor(Handle, out var r), r);
        public Tensor ceil() => Result(tsh_ceil(Handle, out var r), r);
        public Tensor round() => Result(tsh_round(Handle, out var r), r);
        public Tensor sign() => Result(tsh_sign(Handle, out var r), r);
        public Tensor reciprocal() => Result(tsh_reciprocal(Handle, out var r), r);
        public Tensor isnan() => Result(tsh_isnan(Handle, out var r), r);
        public Tensor isinf() => Result(tsh_isinf(Handle, out var r), r);
        public Tensor isfinite() => Result(tsh_isfinite(Handle, out var r), r);
        public Tensor square() => mul(this);

        /// <summary>Limits values to [min, max]; the bounds keep their kind, so integer bounds leave an
        /// integer tensor integral and floating bounds promote it, as in PyTorch.</summary>
        public unsafe Tensor clamp(Scalar? min = null, Scalar? max = null)
        {
            Scalar lo = min ?? default, hi = max ?? default;
            return Result(tsh_clamp(Handle, min.HasValue ? &lo : null, max.HasValue ? &hi : null, out var r), r);
        }

        public Tensor clamp_min(Scalar min) => clamp(min, null);
        public Tensor clamp_max(Scalar max) => clamp(null, max);

        // ---- matrix products ----
        public Tensor matmul(Tensor other) => Result(tsh_matmul(Handle, other.Handle, out var r), r);
        public Tensor mm(Tensor other) => Result(tsh_mm(Handle, other.Handle, out var r), r);
        public Tensor bmm(Tensor other) => Result(tsh_bmm(Handle, other.Handle, out var r), r);
        public Tensor outer(Tensor other) => Result(tsh_outer(Handle, other.Handle, out var r), r);

        /// <summary>beta × this + alpha × (batch1 @ batch2).</summary>
        public Tensor baddbmm(Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) =>
            Result(tsh_baddbmm(Handle, batch1.Handle, batch2.Handle, beta ?? One, alpha ?? One, out var r), r);

        // ---- in place (return this, like PyTorch's trailing-underscore methods) ----
        public Tensor add_(Tensor other) { Check(tsh_add_(Handle, other.Handle, One)); return this; }
        public Tensor add_(Tensor other, Scalar alpha) { Check(tsh_add_(Handle, other.Handle, alpha)); return this; }
        public Tensor add_(Scalar other) { Check(tsh_add_scalar_(Handle, other)); return this; }
        public Tensor sub_(Tensor other) { Check(tsh_sub_(Handle, other.Handle, One)); return this; }
        public Tensor sub_(Tensor other, Scalar alpha) { Check(tsh_sub_(Handle, other.Handle, alpha)); return this; }
        public Tensor sub_(Scalar other) { Check(tsh_sub_scalar_(Handle, other)); return this; }
        public Tensor mul_(Tensor other) { Check(tsh_mul_(Handle, other.Handle)); return this; }
        public Tensor mul_(Scalar other) { Check(tsh_mul_scalar_(Handle, other)); return this; }
        public Tensor div_(Tensor other) { Check(tsh_div_(Handle, other.Handle)); return this; }
        public Tensor div_(Scalar other) { Check(tsh_div_scalar_(Handle, other)); return this; }
        public Tensor addcmul_(Tensor a, Tensor b, Scalar? value = null) { Check(tsh_addcmul_(Handle, a.Handle, b.Handle, value ?? One)); return this; }
        public Tensor addcdiv_(Tensor a, Tensor b, Scalar? value = null) { Check(tsh_addcdiv_(Handle, a.Handle, b.Handle, value ?? One)); return this; }
        public Tensor lerp_(Tensor end, Scalar weight) { Check(tsh_lerp_(Handle, end.Handle, weight)); return this; }
        public Tensor copy_(Tensor source) { Check(tsh_copy_(Handle, source.Handle)); return this; }
        public Tensor fill_(Scalar value) { Check(tsh_fill_(Handle, value)); return this; }
        public Tensor zero_() { Check(tsh_zero_(Handle)); return this; }
        public Tensor sqrt_() { Check(tsh_sqrt_(Handle)); return this; }
        public Tensor neg_() { Check(tsh_neg_(Handle)); return this; }
        public Tensor relu_() { Check(tsh_relu_(Handle)); return this; }
        public Tensor exp_() { Check(tsh_exp_(Handle)); return this; }
        public Tensor uniform_(double from = 0, double to = 1) { Check(tsh_uniform_(Handle, from, to)); return this; }
        public Tensor normal_(double mean = 0, double std = 1) { Check(tsh_normal_(Handle, mean, std)); return this; }
        public Tensor bernoulli_(double p = 0.5) { Check(tsh_bernoulli_(Handle, p)); return this; }

        public unsafe Tensor clamp_(Scalar? min = null, Scalar? max = null)
        {
            Scalar lo = min ?? default, hi = max ?? default;
            Check(tsh_clamp_(Handle, min.HasValue ? &lo : null, max.HasValue ? &hi : null));
            return this;
        }
    }

    /// <summary>A scalar raised to each element's power (torch.pow(2, t)); the result type follows PyTorch's promotion.</summary>
    public static Tensor pow(Scalar self, Tensor exponent) => Tensor.Result(tsh_rpow_scalar(exponent.Handle, self, out var r), r);
    public static Tensor pow(Tensor self, Tensor exponent) => self.pow(exponent);
    public static Tensor pow(Tensor self, Scalar exponent) => self.pow(exponent);
}
