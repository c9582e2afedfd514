// torch.nn.functional: the stateless neural-network functions modules are built from.
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces over the batch (at::Reduction's values).</summary>
        public enum Reduction
        {
            None = 0,
            Mean = 1,
            Sum = 2,
        }

        public static class functional
        {
            private static IntPtr Optional(Tensor? t) => t is null ? IntPtr.Zero : t.Handle.DangerousGetHandle();

            /// <summary>x @ weightᵀ + bias.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                var status = tsh_linear(input.Handle, weight.Handle, Optional(bias), out var r);
                GC.KeepAlive(bias);
                return Tensor.Result(status, r);
            }

            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor gelu(Tensor x, bool tanhApproximation = false) => x.gelu(tanhApproximation);
            public static Tensor silu(Tensor x) => x.silu();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor tanh(Tensor x) => x.tanh();

            public static Tensor softmax(Tensor x, long dim, ScalarType? dtype = null) =>
                Tensor.Result(tsh_softmax(x.Handle, dim, dtype is { } t ? (int)t : -1, out var r), r);

            public static Tensor log_softmax(Tensor x, long dim, ScalarType? dtype = null) =>
                Tensor.Result(tsh_log_softmax(x.Handle, dim, dtype is { } t ? (int)t : -1, out var r), r);

            /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training.</summary>
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true)
            {
                if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
                return Tensor.Result(tsh_dropout(x.Handle, p, training ? 1 : 0, out var r), r);
            }

            /// <summary>Dropout in one pass with a one-byte mask (float32/float64 on the CPU; elsewhere the same as
            /// <see cref="dropout"/>). Its masks come from a counter-based stream seeded by one draw from the default
            /// generator: manual_seed fixes them, but they are not the masks PyTorch's F.dropout would draw.</summary>
            public static Tensor fused_dropout(Tensor x, double p = 0.5, bool training = true)
            {
                if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
                return Tensor.Result(tsh_fused_dropout(x.Handle, p, training ? 1 : 0, out var r), r);
            }

            public static unsafe Tensor layer_norm(Tensor x, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* s = normalized_shape)
                {
                    var status = tsh_layer_norm(x.Handle, s, normalized_shape.Length, Optional(weight), Optional(bias), eps, out var r);
                    GC.KeepAlive(weight);
                    GC.KeepAlive(bias);
                    return Tensor.Result(status, r);
                }
            }

            /// <summary>Rows of <paramref name="weight"/> picked by <paramref name="indices"/>; the padding row gets no gradient.</summary>
            public static Tensor embedding(Tensor indices, Tensor weight, long? padding_idx = null) =>
                Tensor.Result(tsh_embedding(weight.Handle, indices.Handle, padding_idx ?? None, out var r), r);

            public static Tensor one_hot(Tensor indices, long num_classes = -1) =>
                Tensor.Result(tsh_one_hot(indices.Handle, num_classes, out var r), r);

            /// <summary>Cross entropy of logits (N, C, …) against class indices (N, …), with PyTorch's
            /// ignore_index and label smoothing.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            {
                if (label_smoothing < 0 || label_smoothing > 1)
                    throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0.0 and 1.0");
                var status = tsh_cross_entropy(input.Handle, target.Handle, Optional(weight), (long)reduction, ignore_index, label_smoothing, out var r);
                GC.KeepAlive(weight);
                return Tensor.Result(status, r);
            }

            /// <summary>cross_entropy(logits, target, ignore_index, label_smoothing) with mean reduction over logits (N, C)
            /// and targets (N), plus what a training loop logs: <paramref name="tokens"/> (targets not ignored) and
            /// <paramref name="correct"/> (of those, how many the argmax predicts). For float32 CPU logits one pass computes
            /// each row's log-sum-exp, loss and argmax, and the backward writes softmax − target distribution directly:
            /// no (N, C) log-probabilities are kept. Equal to <see cref="cross_entropy"/> within float rounding; the
            /// gradient is not differentiable again.</summary>
            public static Tensor fused_cross_entropy(Tensor logits, Tensor target, out long tokens, out long correct, long ignore_index = -100,
                double label_smoothing = 0.0)
            {
                if (label_smoothing < 0 || label_smoothing > 1)
                    throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0.0 and 1.0");
                return Tensor.Result(tsh_fused_cross_entropy(logits.Handle, target.Handle, ignore_index, label_smoothing, out var r, out tokens, out correct), r);
            }

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
            {
                var status = tsh_nll_loss(input.Handle, target.Handle, Optional(weight), (long)reduction, ignore_index, out var r);
                GC.KeepAlive(weight);
                return Tensor.Result(status, r);
            }

            public static Tensor mse_loss(Tensor input, Tensor target) => Tensor.Result(tsh_mse_loss(input.Handle, target.Handle, out var r), r);
        }
    }
}
