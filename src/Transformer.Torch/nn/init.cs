// torch.nn.init: in-place initialisers with PyTorch's formulas and RNG consumption, so the same
// seed gives the same weights as PyTorch.
namespace Transformer.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public enum FanMode { FanIn, FanOut }

        public static class init
        {
            public static Tensor uniform_(Tensor t, double a = 0, double b = 1) { using (no_grad()) return t.uniform_(a, b); }
            public static Tensor normal_(Tensor t, double mean = 0, double std = 1) { using (no_grad()) return t.normal_(mean, std); }
            public static Tensor constant_(Tensor t, Scalar value) { using (no_grad()) return t.fill_(value); }
            public static Tensor zeros_(Tensor t) { using (no_grad()) return t.zero_(); }
            public static Tensor ones_(Tensor t) => constant_(t, 1.0);

            /// <summary>The recommended gain for a nonlinearity (torch.nn.init.calculate_gain).</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
            };

            public static (long fanIn, long fanOut) calculate_fan_in_and_fan_out(Tensor t)
            {
                var shape = t.shape;
                if (shape.Length < 2)
                    throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
                long receptive = 1;
                for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            public static Tensor xavier_uniform_(Tensor t, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(t);
                var std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                var a = Math.Sqrt(3.0) * std;
                return uniform_(t, -a, a);
            }

            public static Tensor xavier_normal_(Tensor t, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(t);
                return normal_(t, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            // As PyTorch, initialising a zero-element tensor is a no-op (its fan may be 0, which would give an infinite bound).
            public static Tensor kaiming_uniform_(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu")
            {
                if (t.numel() == 0) return t;
                var std = KaimingStd(t, a, mode, nonlinearity);
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(t, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu") =>
                t.numel() == 0 ? t : normal_(t, 0, KaimingStd(t, a, mode, nonlinearity));

            private static double KaimingStd(Tensor t, double a, FanMode mode, string nonlinearity)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(t);
                var fan = mode == FanMode.FanIn ? fanIn : fanOut;
                return calculate_gain(nonlinearity, a) / Math.Sqrt(fan);
            }
        }
    }
}
