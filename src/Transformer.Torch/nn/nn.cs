// Factories for the built-in modules, as torch.nn.Linear(…) in TorchSharp.
using Transformer.Torch.Modules;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static Modules.Linear Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_features, out_features, hasBias, device, dtype);

        public static Modules.Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null, ScalarType? dtype = null) =>
            new(num_embeddings, embedding_dim, padding_idx, device, dtype);

        public static Modules.LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(new[] { normalized_shape }, eps, elementwise_affine, device, dtype);

        public static Modules.LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static Modules.Dropout Dropout(double p = 0.5) => new(p);

        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);

        public static Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
    }
}
