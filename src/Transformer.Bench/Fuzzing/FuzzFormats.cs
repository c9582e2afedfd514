// Every file format the framework reads, as a fuzz target: a temporary workspace holding valid files (the repository's
// configs, tokenizers trained on the spot, a saved checkpoint, prepared shards, small corpora) and, for each file,
// the public entry point that reads it — used a little where that is cheap (encode with a loaded tokenizer, read a
// few batches of a dataset), as a caller would.
using System.Text;
using TorchSharp;
using Transformer.Configuration;
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Data.Corpora;
using Transformer.Data.Shards;
using Transformer.Data.Sources;
using Transformer.Engine;
using Transformer.Models;
using Transformer.Text;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using static TorchSharp.torch;

namespace Transformer.Bench.Fuzzing;

internal static class FuzzFormats
{
    public static IReadOnlyList<string> Names { get; } =
        ["yaml", "tokenizer", "safetensors", "checkpoint", "shards", "cmudict", "brown", "mail", "spamassassin",
         "text", "pairs", "tsv", "jsonl", "data_record"];

    /// <summary>Builds the workspace of format <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public static FuzzFormat Create(string name)
    {
        var workspace = Path.Combine(Path.GetTempPath(), "transformer-fuzz", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workspace);
        try
        {
            return name switch
            {
                "yaml" => Yaml(workspace),
                "tokenizer" => TokenizerJson(workspace),
                "safetensors" => SafetensorsFile(workspace),
                "checkpoint" => CheckpointDirectory(workspace),
                "shards" => Shards(workspace),
                "cmudict" => Cmudict(workspace),
                "brown" => Brown(workspace),
                "mail" => Mail(workspace),
                "spamassassin" => SpamAssassin(workspace),
                "text" => Source(workspace, name, new SourceOptions { Kind = SourceKind.Text }, "the cat sat\n\non the mat\né – ü\n"),
                "pairs" => Source(workspace, name, new SourceOptions { Kind = SourceKind.Pairs }, "hello\tciao\nworld\tmondo\n\n"),
                "tsv" => Source(workspace, name, new SourceOptions { Kind = SourceKind.LabeledTsv, Labels = ["neg", "pos"] }, "pos\tgood film\nneg\tbad\n"),
                "jsonl" => Source(workspace, name, new SourceOptions { Kind = SourceKind.LabeledJsonl },
                    "{\"text\": \"good film\", \"label\": \"pos\"}\n{\"text\": \"bad\", \"label\": 3}\n"),
                "data_record" => DataRecordFile(workspace),
                _ => throw new ArgumentException($"unknown format '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
            };
        }
        catch
        {
            Directory.Delete(workspace, recursive: true);
            throw;
        }
    }

    private static FuzzFormat Yaml(string workspace)
    {
        var configs = Path.Combine(RepositoryRoot(), "configs");
        var seeds = Directory.GetFiles(configs, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var path = Path.Combine(workspace, "experiment.yaml");
        return Format("yaml", workspace, new FuzzFile(path, seeds, FuzzSyntax.Structured, () => ConfigLoader.Load(path, ["training.max_steps=3"])));
    }

    private static FuzzFormat TokenizerJson(string workspace)
    {
        string[] corpus = ["the cat sat on the mat", "a dog's life, 42 times!", "é – ü ß 東京", "the the cat cat sat"];
        var seeds = new List<byte[]>
        {
            Utf8(BpeTokenizer.Train(corpus, new BpeTrainerOptions { VocabSize = 300, MinFrequency = 1, MaxDegreeOfParallelism = 1 }).ToJson()),
            Utf8(WordLevelTokenizer.TrainWords(corpus).ToJson()),
            Utf8(WordLevelTokenizer.TrainCharacters(corpus).ToJson()),
            Utf8(HuggingFaceGpt2),
            Utf8(HuggingFaceWordLevel),
        };
        var path = Path.Combine(workspace, "tokenizer.json");
        return Format("tokenizer", workspace, new FuzzFile(path, seeds, FuzzSyntax.Structured, () =>
        {
            var tokenizer = Tokenizer.Load(path);
            int[] ids;
            try
            {
                ids = tokenizer.Encode("the cat's hat <|endoftext|> <eos> é 42  \t東京");
            }
            catch (UnknownTokenException)
            {
                ids = []; // a word-level model without unk_token refuses unknown words, by design (WordLevelTokenizerTests)
            }
            tokenizer.Decode(ids);
            tokenizer.Decode([-1, 0, int.MaxValue], skipSpecialTokens: false);
            _ = tokenizer.Hash;
        }));
    }

    private static FuzzFormat SafetensorsFile(string workspace)
    {
        var path = Path.Combine(workspace, "weights.safetensors");
        using (var scope = NewDisposeScope())
        {
            Safetensors.Save(path, new Dictionary<string, Tensor>
            {
                ["encoder.weight"] = arange(6, ScalarType.Float32).view(2, 3),
                ["steps"] = tensor(new long[] { 1, -2, 3, long.MaxValue }),
                ["mask"] = tensor(new[] { true, false, true }),
                ["half"] = ones(new long[] { 2, 2 }, ScalarType.Float16),
                ["empty"] = zeros(new long[] { 0, 4 }, ScalarType.BFloat16),
            }, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fuzz seed" });
        }
        var seeds = new List<byte[]> { File.ReadAllBytes(path) };
        return Format("safetensors", workspace, new FuzzFile(path, seeds, FuzzSyntax.Safetensors, () =>
        {
            using var file = Safetensors.Load(path);
        }));
    }

    private static FuzzFormat CheckpointDirectory(string workspace)
    {
        var model = DecoderOnly.Build(new DecoderOnlyConfig { VocabSize = 13, DModel = 8, Heads = 2, DFeedForward = 16, Layers = 1, Dropout = 0 }, seed: 1);
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var logits = model.forward(tensor(new long[] { 1, 2, 3, 4 }, new long[] { 1, 4 }));
            nn.functional.cross_entropy(logits.view(-1, 13), tensor(new long[] { 2, 3, 4, 5 })).backward();
            optimizer.step();
        }
        var directory = Path.Combine(workspace, "step-1");
        Checkpoint.Save(directory, model, optimizer, new TrainerState
        {
            Step = 1, Epoch = 0, DataCursor = System.Text.Json.Nodes.JsonNode.Parse("""{"epoch": 0, "position": 1}"""),
            BestMetric = "loss", BestValue = 2.5, BestStep = 1, TokensSeen = 4, ElapsedSeconds = 0.5, CpuRngState = "AAAA",
        });
        FuzzFile File(string name, FuzzSyntax syntax, Action read)
        {
            var path = Path.Combine(directory, name);
            return new FuzzFile(path, [System.IO.File.ReadAllBytes(path)], syntax, read);
        }
        return Format("checkpoint", workspace, new Resources(model, optimizer),
            File(Checkpoint.TrainerFile, FuzzSyntax.Structured, () => Checkpoint.ReadState(directory)),
            File(Checkpoint.ModelFile, FuzzSyntax.Safetensors, () => Checkpoint.LoadModel(directory, model)),
            File(Checkpoint.OptimizerFile, FuzzSyntax.Safetensors, () => Checkpoint.LoadOptimizer(directory, optimizer)));
    }

    /// <summary>Three prepared datasets (language model, pairs, classification) made with a character tokenizer;
    /// each read as the trainer reads it, a few batches, and once more with full verification.</summary>
    private static FuzzFormat Shards(string workspace)
    {
        var tokenizer = WordLevelTokenizer.TrainCharacters(["abcdefghijklmnopqrstuvwxyz éü\t"]);
        var encoder = new TokenizerTextEncoder(TokenizerFactory.Of(tokenizer));
        var files = new List<FuzzFile>();
        void Prepare(string name, SourceOptions source, string text, Action<PreparedDataset> read)
        {
            var input = Path.Combine(workspace, name + ".txt");
            System.IO.File.WriteAllText(input, text);
            var directory = Path.Combine(workspace, name);
            DatasetPreparer.Prepare(new PrepareOptions { OutputDirectory = directory, Source = source, Train = [input], ValidFraction = 0.3, Parallelism = 1 }, encoder);
            void Read()
            {
                using (var data = PreparedDataset.Open(directory, tokenizer.Hash)) read(data);
                using (PreparedDataset.Open(directory, tokenizer.Hash, ShardVerification.Full)) { }
            }
            foreach (var path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
                files.Add(new FuzzFile(path, [System.IO.File.ReadAllBytes(path)], path.EndsWith(".json", StringComparison.Ordinal) ? FuzzSyntax.Structured : FuzzSyntax.Binary, Read));
        }
        var budget = new TokenBudgetOptions { MaxTokens = 64, MaxLength = 32, Seed = 1, Oversized = OversizedPolicy.Skip };
        Prepare("lm", new SourceOptions(), "the cat sat\non the mat\nabc\nxyz xyz\nhello world\né ü\n",
            data => Take(new LanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = 4, BatchSize = 2, Seed = 1 }).ReadEpoch(0)));
        Prepare("pairs", new SourceOptions { Kind = SourceKind.Pairs }, "hello\tciao\nworld\tmondo\ncat\tgatto\ndog\tcane\nsun\tsole\n",
            data => Take(new Seq2SeqBatchStream(data, "train", budget).ReadEpoch(0)));
        Prepare("classes", new SourceOptions { Kind = SourceKind.LabeledTsv }, "pos\tgood\nneg\tbad\npos\tfine film\nneg\tawful\npos\tgreat\n",
            data => Take(new ClassificationBatchStream(data, "train", budget).ReadEpoch(0)));
        return new FuzzFormat("shards", files, workspace);

        static void Take<T>(IEnumerable<T> batches) where T : Batch
        {
            foreach (var batch in batches.Take(4)) batch.Dispose();
        }
    }

    private static FuzzFormat Cmudict(string workspace)
    {
        var raw = Path.Combine(workspace, "raw");
        var data = Directory.CreateDirectory(Path.Combine(raw, "data")).FullName;
        var dict = Path.Combine(data, "dict.txt");
        var phones = Path.Combine(data, "phones.txt");
        var converter = new CmudictConverter(new CmudictOptions { TestWords = 1, ValidWords = 1 });
        var output = Path.Combine(workspace, "out");
        Action read = () => converter.Convert(raw, output, seed: 1);
        return Format("cmudict", workspace,
            Write(dict, FuzzSyntax.Text, read,
                ";;; CMUdict excerpt\nA  AH0\nA(1)  EY1\nCAT  K AE1 T\nDOG  D AO1 G\nHAT  HH AE1 T\nO'BRIEN  OW0 B R AY1 AH0 N\nTHE  DH AH0\nTHE(1)  DH IY0\n3D  TH R IY1 D IY2\n",
                ";;; another\nZOO  Z UW1\nAPPLE  AE1 P AH0 L\nBOOK  B UH1 K\nCAFE  K AE0 F EY1\n"),
            Write(phones, FuzzSyntax.Text, read, string.Concat(CmudictConverter.ArpabetPhonemes.Select(p => $"{p}\t{(p.Length > 0 && "AEIOU".Contains(p[0]) ? "vowel" : "stop")}\n"))));
    }

    private static FuzzFormat Brown(string workspace)
    {
        var raw = Directory.CreateDirectory(Path.Combine(workspace, "raw")).FullName;
        var converter = new BrownConverter(new BrownOptions { TrainWords = 8, ValidWords = 4 });
        var output = Path.Combine(workspace, "out");
        Action read = () => converter.Convert(raw, output, seed: 1);
        return Format("brown", workspace,
            Write(Path.Combine(raw, "cats.txt"), FuzzSyntax.Text, read, "ca01 news\nca02 editorial\n", "ca02 editorial\nca01 news\n\n"),
            Write(Path.Combine(raw, "ca01"), FuzzSyntax.Text, read,
                "\n\n\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd ./.\n\n\tIt/pps 1/2/cd of/in the/at vote/nn ./.\n"),
            Write(Path.Combine(raw, "ca02"), FuzzSyntax.Text, read, "\tA/at cat/nn sat/vbd on/in the/at mat/nn ./.\n\tThe/at end/nn ./.\n"));
    }

    private static FuzzFormat Mail(string workspace)
    {
        var path = Path.Combine(workspace, "message.eml");
        return Format("mail", workspace, Write(path, FuzzSyntax.Text, () => DocumentText.FromFile(path, includeSubject: true), Messages));
    }

    private static FuzzFormat SpamAssassin(string workspace)
    {
        var raw = Path.Combine(workspace, "raw");
        var data = Path.Combine(raw, "data");
        Directory.CreateDirectory(Path.Combine(data, "spam-1"));
        Directory.CreateDirectory(Path.Combine(data, "easy-ham-1"));
        var converter = new SpamAssassinConverter(new SpamAssassinOptions { IncludeSubject = true });
        var output = Path.Combine(workspace, "out");
        Action read = () => converter.Convert(raw, output, seed: 1);
        return Format("spamassassin", workspace,
            Write(Path.Combine(data, "file_list.json"), FuzzSyntax.Structured, read,
                "[\n  \"spam-1/00001.abc.txt\",\n  \"easy-ham-1/00002.def.txt\",\n  \"easy-ham-1/00003.txt\"\n]\n"),
            Write(Path.Combine(data, "spam-1", "00001.abc.txt"), FuzzSyntax.Text, read, Messages),
            Write(Path.Combine(data, "easy-ham-1", "00002.def.txt"), FuzzSyntax.Text, read, Messages),
            Write(Path.Combine(data, "easy-ham-1", "00003.txt"), FuzzSyntax.Text, read, Messages[1], Messages[0]));
    }

    /// <summary>A source file read by its layout's reader, skipping bad lines and then stopping at the first.</summary>
    private static FuzzFormat Source(string workspace, string name, SourceOptions options, string seed)
    {
        var path = Path.Combine(workspace, name + (options.Kind == SourceKind.LabeledJsonl ? ".jsonl" : ".tsv"));
        options = options with { MaxLineChars = 4096 };
        return Format(name, workspace, Write(path, options.Kind == SourceKind.LabeledJsonl ? FuzzSyntax.Structured : FuzzSyntax.Text, () =>
        {
            foreach (var policy in new[] { BadLinePolicy.Skip, BadLinePolicy.Error })
            {
                var log = new BadLineLog(policy);
                foreach (var example in ExampleReader.For(options).Read(path, log)) _ = example.Location;
            }
        }, seed, seed.Replace("\n", "\r\n")));
    }

    private static FuzzFormat DataRecordFile(string workspace)
    {
        var path = Path.Combine(workspace, DataRecord.FileName);
        var now = new DataRecord
        {
            TokenizerSha256 = new string('a', 64),
            Sources = [new DataRecord.Source("train", "data/train.txt", new string('b', 64)), new DataRecord.Source("valid", "data/valid.txt", new string('c', 64))],
        };
        return Format("data_record", workspace, Write(path, FuzzSyntax.Structured, () => DataRecord.Load(path)?.Differences(now, "tokenizer.json"),
            now.ToJson(), (now with { Sources = [] }).ToJson()));
    }

    private static FuzzFile Write(string path, FuzzSyntax syntax, Action read, params string[] seeds)
    {
        var bytes = seeds.Select(Utf8).ToList();
        File.WriteAllBytes(path, bytes[0]);
        return new FuzzFile(path, bytes, syntax, read);
    }

    private static FuzzFormat Format(string name, string workspace, params FuzzFile[] files) => new(name, files, workspace);

    private static FuzzFormat Format(string name, string workspace, IDisposable resources, params FuzzFile[] files) => new(name, files, workspace, resources);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Transformer.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Transformer.sln not found above {AppContext.BaseDirectory}");
    }

    private sealed class Resources(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }

    private static readonly string[] Messages =
    [
        "From someone@example.com  Mon Jan  1 00:00:00 2002\nFrom: A <a@example.com>\nSubject: =?utf-8?B?SGVsbG8gd29ybGQ=?= =?iso-8859-1?Q?caf=E9?=\n"
            + "Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 au lait,=\n soft break.\nSecond line.\n",
        "From: b@example.com\nSubject: multipart\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\npreamble\n--XYZ\n"
            + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGVsbG8sIHdvcmxkIQ==\n--XYZ\nContent-Type: text/html\n\n<p>Hello</p>\n--XYZ--\n",
        "Return-Path: <c@example.com>\nContent-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: message/rfc822\n\nSubject: inner\n"
            + "Content-Type: text/plain; charset=windows-1252\n\nInner body \u00e9.\n--outer\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\nAAAA\n--outer--\n",
    ];

    private const string HuggingFaceGpt2 = """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            {"id": 15, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
          ],
          "normalizer": null,
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
          "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
          "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
          "model": {
            "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "",
            "fuse_unk": false, "byte_fallback": false,
            "vocab": {"t": 0, "h": 1, "e": 2, "Ġ": 3, "c": 4, "a": 5, "'": 6, "s": 7, "th": 8, "the": 9, "at": 10,
                      "Ġc": 11, "Ġcat": 12, "'s": 13, "Ġh": 14, "<|endoftext|>": 15},
            "merges": [["t", "h"], ["a", "t"], ["th", "e"], ["Ġ", "c"], ["Ġc", "at"], ["'", "s"], ["Ġ", "h"]]
          }
        }
        """;

    private const string HuggingFaceWordLevel = """
        {"added_tokens": [{"id": 0, "content": "<unk>", "special": true}, {"id": 5, "content": "[SEP]", "special": true, "lstrip": true}],
         "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
           {"type": "Split", "pattern": {"Regex": "\\d+|[^\\s\\d]+"}, "behavior": "Isolated", "invert": false}]},
         "decoder": {"type": "Fuse"},
         "model": {"type": "WordLevel", "vocab": {"<unk>": 0, "the": 1, "cat": 2, "42": 3, "é": 4}, "unk_token": "<unk>"}}
        """;
}
