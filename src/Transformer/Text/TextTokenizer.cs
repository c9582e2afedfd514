// The framework's tokenizer: a Microsoft.ML.Tokenizers.Tokenizer (one of ours or one of the library's) with its
// special tokens declared once, the vocabulary size a model needs, a hash that keys prepared data, and the files
// a run directory keeps to rebuild it. Data preparation, evaluation and generation all go through this type.
using System.Security.Cryptography;
using System.Text;
using Lib = Microsoft.ML.Tokenizers;

namespace Transformer.Text;

/// <summary>A file a tokenizer is rebuilt from: its name in a run (or prepared-data) directory and where it is now.</summary>
public sealed record TokenizerFile(string Name, string Source);

public sealed class TextTokenizer
{
    private readonly Tokenizer? _own;                                   // our encoder: its fast paths
    private readonly Dictionary<int, string> _added = [];               // special tokens added after the vocabulary
    private readonly HashSet<int> _special = [];
    private readonly Dictionary<string, int> _roles = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    /// <param name="tokenizer">The tokenizer; one of ours keeps its own fast encoder.</param>
    /// <param name="description">What it is, for messages: "tiktoken gpt2", "a trained bpe tokenizer".</param>
    /// <param name="vocabularySize">One more than its largest id.</param>
    /// <param name="tokenToId">Its id of a token, or null when the token is not in its vocabulary.</param>
    /// <param name="specialTokens">Role → token (pad, bos, eos, unk, sep, cls, mask); a token the vocabulary lacks is
    /// added after it. Pad, bos and eos must be given.</param>
    /// <param name="files">The files it is built from (copied by <see cref="Save"/>); none for one of ours saved as tokenizer.json.</param>
    /// <param name="identity">Identifies its vocabulary and rules (a hash of its files, or an encoding name).</param>
    public TextTokenizer(Lib.Tokenizer tokenizer, string description, int vocabularySize, Func<string, int?> tokenToId,
        IEnumerable<(string Role, string? Token)> specialTokens, IReadOnlyList<TokenizerFile> files, string identity)
    {
        Tokenizer = tokenizer;
        _own = tokenizer as Tokenizer;
        Description = description;
        BaseVocabSize = vocabularySize;
        Files = files;
        var next = vocabularySize;
        foreach (var (role, token) in specialTokens)
        {
            if (token is null) continue;
            var id = tokenToId(token) ?? _added.FirstOrDefault(a => a.Value == token) switch
            {
                { Value: not null } existing => existing.Key,
                _ => next++,
            };
            if (id >= vocabularySize && !_added.ContainsKey(id))
            {
                _added[id] = token;
                _notes.Add($"tokenizer: {token} ({role}) is not in the vocabulary of {description}: added as id {id}");
            }
            _roles[role] = id;
            _special.Add(id);
        }
        foreach (var role in new[] { "pad", "bos", "eos" })
            if (!_roles.ContainsKey(role)) throw new ArgumentException($"no {role} token", nameof(specialTokens));
        VocabSize = next;
        var ownUnchanged = _own is not null && _added.Count == 0 && _roles.GetValueOrDefault("pad", -1) == (_own.PadId ?? -1)
            && _roles["bos"] == (_own.BosId ?? -1) && _roles["eos"] == (_own.EosId ?? -1)
            && _roles.GetValueOrDefault("unk", -1) == (_own.UnkId ?? -1) && _roles.Keys.All(r => r is "pad" or "bos" or "eos" or "unk");
        // Our tokenizers keep the hash of their tokenizer.json (so data prepared before stays valid) unless roles changed.
        Hash = ownUnchanged ? _own!.Hash : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            identity + "\n" + string.Join("\n", _roles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"))
            + "\n" + string.Join("\n", _added.OrderBy(a => a.Key).Select(a => $"{a.Key}:{a.Value}")))));
    }

    /// <summary>The tokenizer itself, for any .NET code that takes the library's type.</summary>
    public Lib.Tokenizer Tokenizer { get; }

    public string Description { get; }

    /// <summary>The embedding size needed: the tokenizer's vocabulary and the special tokens added after it.</summary>
    public int VocabSize { get; }

    /// <summary>The tokenizer's own vocabulary size, before added special tokens.</summary>
    public int BaseVocabSize { get; }

    /// <summary>Special tokens added after the vocabulary, by id.</summary>
    public IReadOnlyDictionary<int, string> AddedSpecialTokens => _added;

    /// <summary>Lines worth telling the user once (special tokens that were added).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public IReadOnlyList<TokenizerFile> Files { get; }

    public int? PadId => Role("pad");
    public int? BosId => Role("bos");
    public int? EosId => Role("eos");
    public int? UnkId => Role("unk");
    public int? SepId => Role("sep");
    public int? ClsId => Role("cls");
    public int? MaskId => Role("mask");

    /// <summary>The ids of every special token (pad, bos, eos, unk, sep, cls, mask: those it has).</summary>
    public IReadOnlyCollection<int> SpecialIds => _special;

    /// <summary>SHA-256 (hex) of what decides the ids: equal hashes, equal encodings. Prepared data and data.json record it.</summary>
    public string Hash { get; }

    public int? Role(string role) => _roles.TryGetValue(role, out var id) ? id : null;

    /// <summary>The ids of <paramref name="text"/> (no BOS/EOS added).</summary>
    public int[] Encode(string text) => _own?.Encode(text) ?? [.. Tokenizer.EncodeToIds(text)];

    /// <summary>Encodes the texts in parallel; result i belongs to text i.</summary>
    public IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts) => _own?.EncodeBatch(texts) ?? global::Transformer.Text.Tokenizer.EncodeInParallel(texts, Encode);

    /// <summary>The text of <paramref name="ids"/>; special tokens left out when <paramref name="skipSpecialTokens"/>,
    /// ids outside the vocabulary always.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (_added.TryGetValue(id, out var token))
            {
                Flush();
                if (!skipSpecialTokens) text.Append(token);
            }
            else if (id >= 0 && id < BaseVocabSize && !(skipSpecialTokens && _special.Contains(id))) run.Add(id);
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count == 0) return;
            text.Append(_own is not null ? _own.Decode(run, skipSpecialTokens) : Tokenizer.Decode(run));
            run.Clear();
        }
    }

    /// <summary>How one id reads, for display (attention maps): our tokenizers' vocabulary token (byte-level "Ġthe"),
    /// an added special token, else the library's decoding of the id alone.</summary>
    public string IdToToken(int id) =>
        _added.TryGetValue(id, out var added) ? added
        : _own?.IdToToken(id) is { } own ? own
        : id >= 0 && id < BaseVocabSize ? Tokenizer.Decode([id]) ?? $"#{id}"
        : $"#{id}";

    /// <summary>Writes what rebuilds this tokenizer into <paramref name="directory"/>: copies of its files, or (one of
    /// ours, trained or read from tokenizer.json) tokenizer.json. Nothing for a tiktoken encoding.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        if (Files.Count == 0)
        {
            _own?.Save(Path.Combine(directory, "tokenizer.json"));
            return;
        }
        foreach (var file in Files)
        {
            var target = Path.Combine(directory, file.Name);
            if (Path.GetFullPath(target) == Path.GetFullPath(file.Source)) continue;
            var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
            try
            {
                File.Copy(file.Source, temporary);
                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
    }
}
