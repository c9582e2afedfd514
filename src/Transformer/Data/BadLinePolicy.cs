// What the readers do with a line they cannot use (YAML: on_bad_line: error | skip).
using System.Text.Json.Serialization;

namespace Transformer.Data;

[JsonConverter(typeof(JsonStringEnumConverter<BadLinePolicy>))]
public enum BadLinePolicy
{
    /// <summary>Stop with a DataFormatException naming file:line and what was expected. The default.</summary>
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>Leave the line out, count it by reason, report it and record it in meta.json.</summary>
    [JsonStringEnumMemberName("skip")] Skip,
}
