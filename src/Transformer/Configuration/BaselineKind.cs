// The reference systems evaluation.baselines can compute next to a seq2seq model (see Training/Baselines).
namespace Transformer.Configuration;

public enum BaselineKind
{
    /// <summary>The target of the training source sharing the most characters with the source.</summary>
    Retrieval,
    /// <summary>The first sense of each source character's own one-character training entry, concatenated.</summary>
    Compositional,
}
