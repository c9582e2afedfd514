// What a prepared dataset trains: a language model, a seq2seq model or a classifier.
using System.Text.Json.Serialization;
using Transformer.Data.Sources;

namespace Transformer.Data;

[JsonConverter(typeof(JsonStringEnumConverter<DatasetKind>))]
public enum DatasetKind
{
    /// <summary>One segment per example: a document's tokens, followed by EOS when the encoder has one.</summary>
    [JsonStringEnumMemberName("language_model")] LanguageModel,
    /// <summary>Two segments per example: the source's tokens, then the target's (no special tokens).</summary>
    [JsonStringEnumMemberName("seq2seq")] Seq2Seq,
    /// <summary>One segment per example (the text's tokens, no special tokens) and a label id.</summary>
    [JsonStringEnumMemberName("classification")] Classification,
}

public static class DatasetKinds
{
    public static DatasetKind Of(SourceKind source) => source switch
    {
        SourceKind.Text => DatasetKind.LanguageModel,
        SourceKind.Pairs => DatasetKind.Seq2Seq,
        _ => DatasetKind.Classification,
    };

    /// <summary>Token segments stored per example.</summary>
    public static int Segments(this DatasetKind kind) => kind == DatasetKind.Seq2Seq ? 2 : 1;
}
