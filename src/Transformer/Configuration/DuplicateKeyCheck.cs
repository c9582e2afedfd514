// Finds a key given twice in one mapping, naming its dotted path and both lines, before the tree is built (the
// representation model only says "Duplicate key"). Also turns parser failures into located ConfigExceptions and
// refuses nesting deeper than any experiment needs: YamlDotNet's scanner slows quadratically with the depth of
// flow collections ("[[[[…" hangs it) and its tree builder recurses once per level.
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Transformer.Configuration;

internal static class DuplicateKeyCheck
{
    private sealed class Frame(string path, bool isMapping, bool isDocument = false)
    {
        public string Path { get; } = path;
        public bool IsMapping { get; } = isMapping;
        public bool IsDocument { get; } = isDocument;
        public Dictionary<string, long> Lines { get; } = [];
        public bool ExpectKey { get; set; } = true;
        public string PendingKey { get; set; } = "";
        public int Index { get; set; }

        public string ChildPath() =>
            IsDocument ? ""
            : !IsMapping ? $"{Path}[{Index}]"
            : ExpectKey ? Join(Path, "?")
            : Join(Path, PendingKey);

        /// <summary>A child node finished: a mapping alternates key and value, a sequence counts.</summary>
        public void Completed()
        {
            if (IsMapping) ExpectKey = !ExpectKey;
            else Index++;
        }
    }

    /// <summary>The deepest nesting accepted; experiment files use three or four levels.</summary>
    public const int MaxDepth = 64;

    public static void Run(string text, string source)
    {
        CheckFlowDepth(text, source);
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<Frame>();
        var lastLine = 1L;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastLine = current.End.Line;
                switch (current)
                {
                    case DocumentStart:
                        stack.Clear();
                        stack.Push(new Frame("", isMapping: false, isDocument: true));
                        break;
                    case Scalar scalar:
                        var top = stack.Peek();
                        if (top.IsMapping && top.ExpectKey) CheckKey(top, scalar, source);
                        top.Completed();
                        break;
                    case AnchorAlias:
                        stack.Peek().Completed();
                        break;
                    case MappingStart or SequenceStart:
                        if (stack.Count > MaxDepth) throw TooDeep(source, current.Start.Line);
                        stack.Push(new Frame(stack.Peek().ChildPath(), current is MappingStart));
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        stack.Peek().Completed();
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new ConfigException("syntax error", new ShownValue(e.Message.TrimEnd('.')), "valid YAML", $"{source}:{e.Start.Line}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections ("[1, 2" at the end).
            throw new ConfigException("syntax error", new ShownValue("the text after this line cannot be read"),
                "valid YAML (is a bracket or quote left open?)", $"{source}:{lastLine}");
        }
    }

    // Counts unclosed '[' and '{' outside comments before the scanner sees them. A line starting in column 0 with a
    // key ends every flow collection, so brackets quoted in strings cannot add up across sections.
    private static void CheckFlowDepth(string text, string source)
    {
        int depth = 0, line = 1;
        bool comment = false, lineStart = true;
        var previous = '\n';
        foreach (var c in text)
        {
            if (lineStart && c is not (' ' or '\t' or ']' or '}' or '\n' or '\r' or '#')) depth = 0;
            lineStart = false;
            switch (c)
            {
                case '\n':
                    line++;
                    comment = false;
                    lineStart = true;
                    break;
                case '#' when char.IsWhiteSpace(previous):
                    comment = true;
                    break;
                case '[' or '{' when !comment:
                    if (++depth > MaxDepth) throw TooDeep(source, line);
                    break;
                case ']' or '}' when !comment:
                    depth = Math.Max(0, depth - 1);
                    break;
            }
            previous = c;
        }
    }

    private static ConfigException TooDeep(string source, long line) =>
        new("config", new ShownValue($"nesting deeper than {MaxDepth} levels"), $"at most {MaxDepth} nested mappings and lists", $"{source}:{line}");

    private static void CheckKey(Frame mapping, Scalar key, string source)
    {
        if (mapping.Lines.TryGetValue(key.Value, out var first))
            throw new ConfigException(Join(mapping.Path, key.Value), new ShownValue("duplicate key"),
                $"each key once (first at line {first})", $"{source}:{key.Start.Line}");
        mapping.Lines[key.Value] = key.Start.Line;
        mapping.PendingKey = key.Value;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
