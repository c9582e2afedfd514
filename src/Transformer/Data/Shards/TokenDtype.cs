// How token ids are stored in a shard: 2 bytes when every id fits, else 4; little-endian, unsigned.
using System.Text.Json.Serialization;

namespace Transformer.Data.Shards;

[JsonConverter(typeof(JsonStringEnumConverter<TokenDtype>))]
public enum TokenDtype
{
    [JsonStringEnumMemberName("uint16")] UInt16,
    [JsonStringEnumMemberName("uint32")] UInt32,
}

public static class TokenDtypes
{
    /// <summary>uint16 when every id of the vocabulary fits (VocabSize ≤ 65,536, i.e. ids ≤ 65,535), else uint32.</summary>
    public static TokenDtype For(int vocabSize) => vocabSize <= 65_536 ? TokenDtype.UInt16 : TokenDtype.UInt32;

    public static int ByteSize(this TokenDtype dtype) => dtype == TokenDtype.UInt16 ? 2 : 4;
}
