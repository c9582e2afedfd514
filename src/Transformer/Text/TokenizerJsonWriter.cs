// Writes JSON the way serde_json's pretty printer does (Hugging Face's tokenizer.json): two-space indent,
// "key": value, empty containers as {} and [], non-ASCII text unescaped. Output is a pure function of
// the calls, which makes the saved file canonical (Tokenizer.Hash is the SHA-256 of it).
using System.Globalization;
using System.Text;

namespace Transformer.Text;

internal sealed class TokenizerJsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _hasItems = new();   // one entry per open container: written an item yet?
    private bool _afterKey;

    public override string ToString() => _text.ToString();

    public TokenizerJsonWriter StartObject() => Open('{');
    public TokenizerJsonWriter EndObject() => Close('}');
    public TokenizerJsonWriter StartArray() => Open('[');
    public TokenizerJsonWriter EndArray() => Close(']');

    public TokenizerJsonWriter Key(string name)
    {
        BeforeValue();
        WriteString(name);
        _text.Append(": ");
        _afterKey = true;
        return this;
    }

    public TokenizerJsonWriter String(string? value)
    {
        if (value is null) return Null();
        BeforeValue();
        WriteString(value);
        return this;
    }

    public TokenizerJsonWriter Number(long value)
    {
        BeforeValue();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public TokenizerJsonWriter Bool(bool value)
    {
        BeforeValue();
        _text.Append(value ? "true" : "false");
        return this;
    }

    public TokenizerJsonWriter Null()
    {
        BeforeValue();
        _text.Append("null");
        return this;
    }

    public TokenizerJsonWriter Property(string name, string? value) => Key(name).String(value);
    public TokenizerJsonWriter Property(string name, bool value) => Key(name).Bool(value);
    public TokenizerJsonWriter Property(string name, long value) => Key(name).Number(value);

    private TokenizerJsonWriter Open(char bracket)
    {
        BeforeValue();
        _text.Append(bracket);
        _hasItems.Push(false);
        return this;
    }

    private TokenizerJsonWriter Close(char bracket)
    {
        if (_hasItems.Pop())
        {
            _text.Append('\n');
            Indent(_hasItems.Count);
        }
        _text.Append(bracket);
        return this;
    }

    // Called before every value and key: a value right after its key stays on the key's line;
    // anything else inside a container starts a new, indented line (after a comma from the second on).
    private void BeforeValue()
    {
        if (_afterKey)
        {
            _afterKey = false;
            return;
        }
        if (_hasItems.Count == 0) return;
        if (_hasItems.Peek()) _text.Append(',');
        _hasItems.Pop();
        _hasItems.Push(true);
        _text.Append('\n');
        Indent(_hasItems.Count);
    }

    private void Indent(int depth) => _text.Append(' ', 2 * depth);

    private void WriteString(string value)
    {
        _text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < 0x20) _text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}
