// A lookup table of vectors, initialised N(0, 1) with the padding row zeroed (torch.nn.Embedding).
using static Transformer.Torch.torch;

namespace Transformer.Torch.Modules;

public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight { get; }
    public long num_embeddings { get; }
    public long embedding_dim { get; }
    public long? padding_idx { get; }

    internal Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx, Device? device, ScalarType? dtype) : base(nameof(Embedding))
    {
        if (paddingIdx is { } p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"padding_idx must be within num_embeddings ({numEmbeddings})");
            paddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        num_embeddings = numEmbeddings;
        embedding_dim = embeddingDim;
        padding_idx = paddingIdx;
        weight = new Parameter(empty(new[] { numEmbeddings, embeddingDim }, dtype, device));
        register_parameter(nameof(weight), weight);
        reset_parameters();
    }

    public void reset_parameters()
    {
        nn.init.normal_(weight);
        if (padding_idx is { } p)
            using (no_grad())
                weight.index_put_(0.0, p);
    }

    public override Tensor forward(Tensor input) => nn.functional.embedding(input, weight, padding_idx);
}
