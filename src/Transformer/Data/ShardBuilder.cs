// Builds a dataset's shards in a (temporary) directory: reads the sources in order, resolves labels, encodes
// chunks of examples in parallel and writes them in reading order, so the output never depends on threads.
// Sources that are not pre-split are first written whole, then distributed by SplitAssignment.
using System.Runtime.ExceptionServices;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Data;

internal sealed class ShardBuilder
{
    private const string Unsplit = "unsplit";
    private readonly PrepareOptions options;
    private readonly ITextEncoder encoder;
    private readonly string directory;
    private readonly DatasetKind kind;
    private readonly TokenDtype dtype;
    private readonly BadLineLog log;
    private readonly LabelTable? labels;
    private readonly ExampleReader reader;
    private long blankLines;

    public ShardBuilder(PrepareOptions options, ITextEncoder encoder, string directory)
    {
        this.options = options;
        this.encoder = encoder;
        this.directory = directory;
        kind = DatasetKinds.Of(options.Source.Kind);
        dtype = TokenDtypes.For(encoder.VocabSize);
        log = new BadLineLog(options.Source.OnBadLine);
        labels = kind == DatasetKind.Classification ? new LabelTable(options.Source.Labels) : null;
        reader = ExampleReader.For(options.Source);
    }

    public DatasetMeta Build(PrepareSettings settings, IReadOnlyList<SourceFileMeta> sources, string fingerprint)
    {
        var writers = new List<(string Name, ShardWriter Writer)>();
        try
        {
            if (options.PreSplit)
                foreach (var (name, files) in new[] { ("train", options.Train), ("valid", options.Valid), ("test", options.Test) })
                {
                    if (files.Count == 0) continue;
                    var writer = NewWriter(name);
                    writers.Add((name, writer));
                    Encode(files, writer);
                    labels?.Freeze();
                }
            else
                EncodeAndSplit(writers);

            var train = writers[0].Writer;
            if (train.Examples == 0)
                throw new DataFormatException("data.train", $"no usable example ({log.Total} bad line(s) skipped)", "at least one training example");
            if (labels is not null && labels.Labels.Count < 2)
                throw new DataFormatException("data.train", $"{labels.Labels.Count} distinct label(s) ({string.Join(", ", labels.Labels)})", "at least 2 labels to classify");
            var remap = labels?.Remap();
            var splits = writers.ToDictionary(w => w.Name, w => w.Writer.Finish(remap));
            return new DatasetMeta
            {
                FormatVersion = DatasetMeta.CurrentFormatVersion,
                Kind = kind,
                Fingerprint = fingerprint,
                TokenizerHash = encoder.Hash,
                VocabSize = encoder.VocabSize,
                TokenDtype = dtype,
                PadId = encoder.PadId,
                BosId = encoder.BosId,
                EosId = encoder.EosId,
                SegmentsPerExample = kind.Segments(),
                DocumentsEndWithEos = kind == DatasetKind.LanguageModel && encoder.EosId is not null,
                Labels = labels?.Labels,
                Settings = settings,
                Sources = sources,
                BlankLines = blankLines,
                Skipped = log.ToReport(),
                Splits = splits,
            };
        }
        finally
        {
            foreach (var (_, writer) in writers) writer.Dispose();
        }
    }

    private ShardWriter NewWriter(string split) => new(directory, split, dtype, kind.Segments(), labels is not null);

    /// <summary>Encodes the train files whole, then copies each example to the split SplitAssignment gives it.</summary>
    private void EncodeAndSplit(List<(string Name, ShardWriter Writer)> writers)
    {
        using (var all = NewWriter(Unsplit))
        {
            Encode(options.Train, all);
            all.Close();
            var assignment = SplitAssignment.Assign(all.Examples, options.ValidFraction, options.TestFraction, options.SplitSeed);
            var targets = new ShardWriter?[3];
            targets[SplitAssignment.Train] = NewWriter("train");
            writers.Add(("train", targets[SplitAssignment.Train]!));
            if (options.ValidFraction > 0) writers.Add(("valid", targets[SplitAssignment.Valid] = NewWriter("valid")));
            if (options.TestFraction > 0) writers.Add(("test", targets[SplitAssignment.Test] = NewWriter("test")));
            using (var source = new PreparedSplit(Unsplit, directory, all.Examples, all.Tokens, dtype, kind.Segments(), hasLabels: false))
            {
                var segments = new int[kind.Segments()][];
                for (var i = 0L; i < source.Count; i++)
                {
                    for (var s = 0; s < segments.Length; s++) segments[s] = Array.ConvertAll(source.ReadSegment(i, s), id => (int)id);
                    targets[assignment[i]]!.Add(segments, all.Labels?[(int)i] ?? -1);
                }
            }
        }
        foreach (var role in new[] { ShardFiles.Tokens, ShardFiles.Offsets })
            File.Delete(Path.Combine(directory, ShardFiles.Name(Unsplit, role)));
    }

    private void Encode(IEnumerable<string> files, ShardWriter writer)
    {
        var pending = new List<List<(RawExample Example, int Label)>>();
        var chunk = new List<(RawExample, int)>();
        foreach (var file in files)
        {
            foreach (var example in reader.Read(file, log))
            {
                var label = labels?.Resolve(example, log) ?? -1;
                if (labels is not null && label < 0) continue;
                chunk.Add((example, label));
                if (chunk.Count < options.EncodeChunk) continue;
                pending.Add(chunk);
                chunk = new();
                if (pending.Count >= 2 * options.Parallelism) Flush(pending, writer);
            }
            blankLines += reader.BlankLines;
        }
        if (chunk.Count > 0) pending.Add(chunk);
        Flush(pending, writer);
    }

    /// <summary>Encodes the pending chunks in parallel, then writes them in reading order.</summary>
    private void Flush(List<List<(RawExample Example, int Label)>> pending, ShardWriter writer)
    {
        var encoded = new int[pending.Count][][][];
        try
        {
            Parallel.For(0, pending.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism },
                i => encoded[i] = EncodeChunk(pending[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        for (var c = 0; c < pending.Count; c++)
            for (var j = 0; j < pending[c].Count; j++)
            {
                var (example, label) = pending[c][j];
                foreach (var segment in encoded[c][j]) CheckIds(segment, example);
                writer.Add(encoded[c][j], label);
            }
        pending.Clear();
    }

    private int[][][] EncodeChunk(List<(RawExample Example, int Label)> chunk)
    {
        IReadOnlyList<int[]> texts;
        IReadOnlyList<int[]>? targets;
        try
        {
            texts = Checked(encoder.EncodeBatch(chunk.Select(c => c.Example.Text).ToArray()));
            targets = kind == DatasetKind.Seq2Seq ? Checked(encoder.EncodeBatch(chunk.Select(c => c.Example.Target!).ToArray())) : null;
        }
        catch (Exception e) when (Unknown(e) is { } unknown)
        {
            throw new DataFormatException(chunk.First(c => Unencodable(c.Example)).Example.Location, unknown.Message,
                "text the tokenizer can encode (a tokenizer with an unk token encodes every word)");
        }
        var eos = kind == DatasetKind.LanguageModel ? encoder.EosId : null;
        var result = new int[chunk.Count][][];
        for (var j = 0; j < chunk.Count; j++)
            result[j] = targets is not null ? [texts[j], targets[j]] : eos is { } e ? [[.. texts[j], e]] : [texts[j]];
        return result;

        IReadOnlyList<int[]> Checked(IReadOnlyList<int[]> encoded) => encoded.Count == chunk.Count ? encoded
            : throw new InvalidOperationException($"the encoder returned {encoded.Count} encodings for {chunk.Count} texts");
    }

    /// <summary>Whether an example holds text the tokenizer refuses (to name its line).</summary>
    private bool Unencodable(RawExample example)
    {
        try
        {
            encoder.EncodeBatch(example.Target is null ? [example.Text] : [example.Text, example.Target]);
            return false;
        }
        catch (Exception e) when (Unknown(e) is not null)
        {
            return true;
        }
    }

    /// <summary>The unknown-token error behind <paramref name="e"/>, also from inside a parallel encoder's AggregateException.</summary>
    private static Text.UnknownTokenException? Unknown(Exception e) => e switch
    {
        Text.UnknownTokenException u => u,
        AggregateException a => a.Flatten().InnerExceptions.OfType<Text.UnknownTokenException>().FirstOrDefault(),
        _ => null,
    };

    private void CheckIds(int[] ids, RawExample example)
    {
        foreach (var id in ids)
            if ((uint)id >= (uint)encoder.VocabSize)
                throw new InvalidOperationException($"{example.Location}: the encoder returned token id {id}, outside its vocabulary of {encoder.VocabSize}");
    }
}
