// Writes a config as YAML with every key, defaults included: the resolved experiment a run actually used.
// ConfigLoader.Parse(ConfigWriter.ToYaml(c)) equals c.
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Transformer.Configuration;

public static class ConfigWriter
{
    /// <summary>The whole experiment as YAML, sections as block mappings in schema order.</summary>
    public static string ToYaml(ExperimentConfig config) => ToYaml((object)config);

    internal static string ToYaml(object record)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, bestIndent: 2);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitRecord(emitter, record, variantKind: null);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void EmitRecord(IEmitter emitter, object record, string? variantKind)
    {
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
        if (variantKind is not null)
        {
            Plain(emitter, ConfigVariantAttribute.KindKey);
            Plain(emitter, variantKind);
        }
        foreach (var field in ConfigSchema.Fields(record.GetType()))
        {
            Plain(emitter, field.Key);
            EmitValue(emitter, field, field.Property.GetValue(record));
        }
        emitter.Emit(new MappingEnd());
    }

    private static void EmitValue(IEmitter emitter, ConfigField field, object? value)
    {
        switch (field.Shape)
        {
            case var _ when value is null:
                Plain(emitter, "null");
                break;
            case ConfigFieldShape.Section:
                EmitRecord(emitter, value, variantKind: null);
                break;
            case ConfigFieldShape.Variant:
                var variant = field.Variants.FirstOrDefault(v => v.Type == value.GetType())
                    ?? throw new ArgumentException($"{field.Key}: {value.GetType().Name} is not one of its variants ({field.VariantNames})");
                EmitRecord(emitter, value, variant.Kind);
                break;
            case ConfigFieldShape.Tuple:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Flow));
                var tuple = (System.Runtime.CompilerServices.ITuple)value;
                for (var i = 0; i < tuple.Length; i++) Scalar(emitter, tuple[i]!);
                emitter.Emit(new SequenceEnd());
                break;
            case ConfigFieldShape.List:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Flow));
                foreach (var item in (System.Collections.IEnumerable)value) Scalar(emitter, item!);
                emitter.Emit(new SequenceEnd());
                break;
            case ConfigFieldShape.Map:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Flow));
                foreach (System.Collections.DictionaryEntry entry in ToEntries(value))
                {
                    Plain(emitter, (string)entry.Key);
                    Scalar(emitter, entry.Value!);
                }
                emitter.Emit(new MappingEnd());
                break;
            default:
                Scalar(emitter, value);
                break;
        }
    }

    // A map's entries in order, whatever its value type.
    private static IEnumerable<System.Collections.DictionaryEntry> ToEntries(object map)
    {
        foreach (var entry in (System.Collections.IEnumerable)map)
        {
            var type = entry!.GetType();
            yield return new System.Collections.DictionaryEntry(type.GetProperty("Key")!.GetValue(entry)!, type.GetProperty("Value")!.GetValue(entry));
        }
    }

    private static void Scalar(IEmitter emitter, object value)
    {
        var (text, quote) = ConfigScalar.Format(value);
        emitter.Emit(new Scalar(null, null, text, quote ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static void Plain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(null, null, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: true));
}
