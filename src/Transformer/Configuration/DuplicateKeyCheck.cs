// Finds a key given twice in one mapping, naming its dotted path and both lines, before the tree is built (the
// representation model only says "Duplicate key"). Also turns parser failures into located ConfigExceptions.
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

    public static void Run(string text, string source)
    {
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
