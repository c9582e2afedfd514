// Pre-tokenizers applied one after another: each piece of one is cut again by the next.
namespace Transformer.Text;

internal sealed class SequencePreTokenizer : PreTokenizer
{
    private readonly PreTokenizer[] _stages;

    public SequencePreTokenizer(PreTokenizer[] stages) => _stages = stages;

    public IReadOnlyList<PreTokenizer> Stages => _stages;

    public override void PreTokenize(ReadOnlySpan<char> text, PieceSink sink)
    {
        if (_stages.Length == 0)
        {
            sink.Add(text);
            return;
        }
        for (var i = _stages.Length - 1; i > 0; i--) sink = new Chain(_stages[i], sink);
        _stages[0].PreTokenize(text, sink);
    }

    public override void Write(TokenizerJsonWriter json)
    {
        json.StartObject().Property("type", "Sequence").Key("pretokenizers").StartArray();
        foreach (var stage in _stages) stage.Write(json);
        json.EndArray().EndObject();
    }

    private sealed class Chain(PreTokenizer next, PieceSink target) : PieceSink
    {
        public override void Add(ReadOnlySpan<char> piece) => next.PreTokenize(piece, target);
    }
}
