namespace Transformer.Models.Decoding;

/// <summary>Greedy decoding: the most probable token at every step.</summary>
public sealed record GreedyOptions : DecodingOptions;
