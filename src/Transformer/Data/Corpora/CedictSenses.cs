// The rules that turn a CC-CEDICT sense into clean reference English, or drop it as something that is
// not a translation: classifier notes ("CL:個|个[ge4]") are removed, cross-references lose their
// traditional form and pinyin ("宝鸡|寶雞[Bao3 ji1]" → "宝鸡"), and senses that only point elsewhere
// ("variant of X", "see X", "used in X", "abbr. for X"), note a pronunciation ("also pr. [pou1]") or
// name a surname ("surname Zhang") are dropped.
using System.Text.RegularExpressions;

namespace Transformer.Data.Corpora;

/// <summary>What cleaning did to one sense: the cleaned text, or the reason it was dropped.</summary>
/// <param name="Text">The cleaned sense, or null when dropped.</param>
/// <param name="DropReason">Why the sense was dropped (one of <see cref="CedictSenses.Reasons"/>), or null.</param>
/// <param name="ClassifierNotesRemoved">Classifier notes cut out of a sense that stays.</param>
/// <param name="CrossReferencesRewritten">Cross-references reduced to their simplified form.</param>
public sealed record CleanedSense(string? Text, string? DropReason, int ClassifierNotesRemoved, int CrossReferencesRewritten);

public static partial class CedictSenses
{
    public const string ClassifierOnly = "classifier note only";
    public const string CrossReference = "cross-reference only";
    public const string Pronunciation = "pronunciation note";
    public const string Surname = "surname";
    public const string Empty = "empty";

    /// <summary>Stands for a cross-reference while a sense is matched against the cross-reference-only pattern.</summary>
    private const string Placeholder = "\uE000";

    /// <summary>Every drop reason, in the order the rules are tried.</summary>
    public static readonly IReadOnlyList<string> Reasons = [Empty, ClassifierOnly, Pronunciation, CrossReference, Surname];

    /// <summary>Cleans one sense (see the file header for the rules).</summary>
    public static CleanedSense Clean(string sense)
    {
        var text = Space().Replace(sense, " ").Trim();
        if (text.Length == 0) return new(null, Empty, 0, 0);
        var classifiers = Classifier().Count(text);
        if (classifiers > 0)
        {
            text = Classifier().Replace(text, "");
            text = EmptyParentheses().Replace(text, "");
            text = Space().Replace(text, " ").Trim().TrimEnd(',', ';', ' ').Trim();
            if (text.Length == 0) return new(null, ClassifierOnly, 0, 0);
        }
        if (PronunciationNote().IsMatch(text)) return new(null, Pronunciation, 0, 0);
        // A sense that only points elsewhere; the target may also be a bare headword ("Japanese variant of 佛").
        if (ReferenceOnly().IsMatch(BareHeadword().Replace(Reference().Replace(text, Placeholder), Placeholder))) return new(null, CrossReference, 0, 0);
        var references = Reference().Count(text);
        if (references > 0)
            text = Reference().Replace(text, m => m.Groups["simplified"].Success ? m.Groups["simplified"].Value : m.Groups["traditional"].Value);
        if (SurnameNote().IsMatch(text)) return new(null, Surname, 0, 0);
        return new(text, null, classifiers, references);
    }

    // "CL:個|个[ge4],張|张[zhang1]", optionally in parentheses or after a comma.
    [GeneratedRegex(@",?\s*\(?CL:(?:[^\s\[\]|,;()]+(?:\|[^\s\[\]|,;()]+)?\[[^\]]*\],?\s*)+\)?")]
    private static partial Regex Classifier();

    [GeneratedRegex(@"\(\s*\)")]
    private static partial Regex EmptyParentheses();

    // A headword written traditional|simplified[pinyin], traditional[pinyin] (same in both scripts) or
    // traditional|simplified: it starts with a non-ASCII character ("卡拉OK[ka3 la1 O K]" is one).
    [GeneratedRegex(@"(?<traditional>[^\x00-\x7F][^\s\[\]|,;()]*)(?:(?:\|(?<simplified>[^\s\[\]|,;()]+))(?:\[[^\]]*\])?|\[[^\]]*\])")]
    private static partial Regex Reference();

    [GeneratedRegex(@"[^\x00-\x7F][^\s\[\]|,;()]*")]
    private static partial Regex BareHeadword();

    // After references became the placeholder: a sense that only points to other entries.
    [GeneratedRegex(@"^\(?(?:(?:[A-Za-z-]+|\([A-Za-z ]+\)) ){0,4}(?:variant of|see(?: also)?|used in|same as|also written|abbr\. for|abbr\. of|abbreviation of|abbreviation for) \uE000(?:(?:,|, and| and| or|,? see(?: also)?) \uE000)*(?: \([^()]*\))?\)?\.?$")]
    private static partial Regex ReferenceOnly();

    // "also pr. [pou1]", "pronounced [a4 pu5 zhu3]", "Taiwan pr. [qi4]"
    [GeneratedRegex(@"^(?:\([A-Za-z]+\) )?(?:[A-Za-z]+ ){0,2}(?:pr\.|pronounced) \[[^\]]*\]")]
    private static partial Regex PronunciationNote();

    [GeneratedRegex(@"^(?:[A-Za-z]+ )?surname [A-Z][A-Za-z'’-]*(?: [A-Z][A-Za-z'’-]*)?$")]
    private static partial Regex SurnameNote();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
