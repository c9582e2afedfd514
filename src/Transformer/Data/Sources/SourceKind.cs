// The layout of a source file, which also decides the dataset kind it feeds.
using System.Text.Json.Serialization;

namespace Transformer.Data.Sources;

[JsonConverter(typeof(JsonStringEnumConverter<SourceKind>))]
public enum SourceKind
{
    /// <summary>Plain text for language models: one document per line; blank lines are allowed and ignored.</summary>
    [JsonStringEnumMemberName("text")] Text,
    /// <summary>Tab-separated pairs for seq2seq: source and target columns chosen by index.</summary>
    [JsonStringEnumMemberName("pairs")] Pairs,
    /// <summary>Classification as TSV: label and text columns chosen by index.</summary>
    [JsonStringEnumMemberName("labeled_tsv")] LabeledTsv,
    /// <summary>Classification as JSON Lines: one object per line with text and label fields.</summary>
    [JsonStringEnumMemberName("labeled_jsonl")] LabeledJsonl,
}
