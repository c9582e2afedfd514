// The data pipeline's view of a tokenizer: text → ids (no special tokens; the pipeline adds BOS/EOS).
using Transformer.Text;

namespace Transformer.Data;

public sealed class TokenizerTextEncoder(TextTokenizer tokenizer) : ITextEncoder
{
    public TextTokenizer Tokenizer => tokenizer;
    public int VocabSize => tokenizer.VocabSize;
    public string Hash => tokenizer.Hash;
    public int? PadId => tokenizer.PadId;
    public int? BosId => tokenizer.BosId;
    public int? EosId => tokenizer.EosId;
    public int[] Encode(string text) => tokenizer.Encode(text);
    public IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts) => tokenizer.EncodeBatch(texts);
}
