// How to read source files: their layout, which columns or fields hold what, the label set, and what to do
// with bad lines. Validate() names the offending key (YAML spelling, under `data.`).
namespace Transformer.Data.Sources;

public sealed record SourceOptions
{
    /// <summary>Layout of every source file (YAML: format). Default text.</summary>
    public SourceKind Kind { get; init; } = SourceKind.Text;
    /// <summary>Pairs: 0-based column of the source text. Default 0.</summary>
    public int SourceColumn { get; init; }
    /// <summary>Pairs: 0-based column of the target text. Default 1.</summary>
    public int TargetColumn { get; init; } = 1;
    /// <summary>Labeled TSV: 0-based column of the label. Default 0.</summary>
    public int LabelColumn { get; init; }
    /// <summary>Labeled TSV: 0-based column of the text. Default 1.</summary>
    public int TextColumn { get; init; } = 1;
    /// <summary>Labeled JSONL: name of the text field. Default "text".</summary>
    public string TextField { get; init; } = "text";
    /// <summary>Labeled JSONL: name of the label field (a string or an integer). Default "label".</summary>
    public string LabelField { get; init; } = "label";
    /// <summary>Classification: the labels, in id order. Default null: the distinct labels of the train sources,
    /// sorted ordinally; a label in valid/test sources that train does not have is then a bad line.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>Longest accepted line, in UTF-16 characters; longer lines are bad lines. Default 1,000,000.</summary>
    public int MaxLineChars { get; init; } = 1_000_000;
    /// <summary>Error (stop at the first bad line, naming file:line) or skip (count and report). Default error.</summary>
    public BadLinePolicy OnBadLine { get; init; } = BadLinePolicy.Error;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsClassification => Kind is SourceKind.LabeledTsv or SourceKind.LabeledJsonl;

    public void Validate()
    {
        if (MaxLineChars <= 0) throw new ConfigException("data.max_line_chars", MaxLineChars, "a positive number of characters");
        switch (Kind)
        {
            case SourceKind.Pairs:
                Column("data.source_column", SourceColumn);
                Column("data.target_column", TargetColumn);
                if (SourceColumn == TargetColumn)
                    throw new ConfigException("data.target_column", TargetColumn, $"a column other than data.source_column ({SourceColumn})");
                break;
            case SourceKind.LabeledTsv:
                Column("data.label_column", LabelColumn);
                Column("data.text_column", TextColumn);
                if (LabelColumn == TextColumn)
                    throw new ConfigException("data.text_column", TextColumn, $"a column other than data.label_column ({LabelColumn})");
                break;
            case SourceKind.LabeledJsonl:
                if (string.IsNullOrEmpty(TextField)) throw new ConfigException("data.text_field", TextField, "a field name");
                if (string.IsNullOrEmpty(LabelField)) throw new ConfigException("data.label_field", LabelField, "a field name");
                if (TextField == LabelField) throw new ConfigException("data.label_field", LabelField, $"a field other than data.text_field");
                break;
        }
        if (Labels is { } labels)
        {
            if (!IsClassification) throw new ConfigException("data.labels", string.Join(", ", labels), "no labels for a non-classification format");
            if (labels.Count < 2) throw new ConfigException("data.labels", string.Join(", ", labels), "at least 2 labels");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var label in labels)
            {
                if (string.IsNullOrWhiteSpace(label)) throw new ConfigException("data.labels", label, "non-empty labels");
                if (!seen.Add(label)) throw new ConfigException("data.labels", label, "each label once");
            }
        }
    }

    private static void Column(string key, int value)
    {
        if (value < 0) throw new ConfigException(key, value, "a 0-based column index ≥ 0");
    }
}
