// The shape of the training examples, which must suit model.kind.
namespace Transformer.Configuration;

public enum DataKind
{
    /// <summary>Source/target sentence pairs, for encoder_decoder.</summary>
    Pairs,
    /// <summary>Running text, for decoder_only.</summary>
    Text,
    /// <summary>Texts with a class label, for encoder_classifier.</summary>
    Labeled,
}
