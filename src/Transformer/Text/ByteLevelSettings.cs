// The options Hugging Face's ByteLevel pre-tokenizer, decoder and post-processor share.
namespace Transformer.Text;

internal sealed record ByteLevelSettings(bool AddPrefixSpace, bool TrimOffsets, bool UseRegex)
{
    /// <summary>Reads the fields, each defaulting to true as in Hugging Face's ByteLevel::default().</summary>
    public static ByteLevelSettings Read(TokenizerJsonNode node) => new(
        node.OptionalBool("add_prefix_space", true),
        node.OptionalBool("trim_offsets", true),
        node.OptionalBool("use_regex", true));

    public void Write(TokenizerJsonWriter json) => json.StartObject()
        .Property("type", "ByteLevel")
        .Property("add_prefix_space", AddPrefixSpace)
        .Property("trim_offsets", TrimOffsets)
        .Property("use_regex", UseRegex)
        .EndObject();
}
