// The checks PreparedDataset.Open runs: meta.json consistent with itself, shard files matching meta.json
// (sizes always, SHA-256 on request) and the offsets, tokens and labels making sense.
namespace Transformer.Data.Shards;

internal static class ShardCheck
{
    private const string Redo = "prepare the data again";

    public static void Meta(string path, DatasetMeta meta)
    {
        if (meta.SegmentsPerExample != meta.Kind.Segments())
            Fail(path, $"segments_per_example {meta.SegmentsPerExample}", $"{meta.Kind.Segments()} for {meta.Kind}");
        if (meta.VocabSize <= 0 || TokenDtypes.For(meta.VocabSize) != meta.TokenDtype)
            Fail(path, $"token_dtype {meta.TokenDtype} for vocab_size {meta.VocabSize}", $"{TokenDtypes.For(Math.Max(1, meta.VocabSize))}");
        if (meta.Kind == DatasetKind.Classification && (meta.Labels is null || meta.Labels.Count < 2))
            Fail(path, "a classification dataset without labels", "at least 2 labels");
        if (!meta.Splits.ContainsKey("train")) Fail(path, "no train split", "splits.train");
        foreach (var (name, split) in meta.Splits)
        {
            // Split and file names become paths: only the names prepare writes, so none points outside the directory.
            if (name is not ("train" or "valid" or "test")) Fail(path, $"split '{name}'", "splits named train, valid or test");
            foreach (var file in split.Files)
                if (file.Role is not (ShardFiles.Tokens or ShardFiles.Offsets or ShardFiles.Labels) || file.File != ShardFiles.Name(name, file.Role))
                    Fail(path, $"split '{name}' lists file '{file.File}' with role '{file.Role}'",
                        $"the {ShardFiles.Tokens}, {ShardFiles.Offsets} or {ShardFiles.Labels} file named {ShardFiles.Name(name, "<role>")}; {Redo}");
            var size = meta.TokenDtype.ByteSize();
            Expect(split, ShardFiles.Tokens, split.Tokens * size, $"{split.Tokens} tokens × {size} bytes");
            Expect(split, ShardFiles.Offsets, (split.Examples * meta.SegmentsPerExample + 1) * 8,
                $"({split.Examples} examples × {meta.SegmentsPerExample} + 1) offsets × 8 bytes");
            if (meta.Kind == DatasetKind.Classification) Expect(split, ShardFiles.Labels, split.Examples * 4, $"{split.Examples} labels × 4 bytes");

            void Expect(SplitMeta s, string role, long bytes, string why)
            {
                var file = s.Files.FirstOrDefault(f => f.Role == role);
                if (file is null) Fail(path, $"split '{name}' lists no {role} file", $"a {role} file ({Redo})");
                else if (file.Bytes != bytes) Fail(path, $"{file.File}: bytes {file.Bytes}", $"{bytes} ({why}); {Redo}");
            }
        }
    }

    public static void Files(string directory, SplitMeta split, ShardVerification verification)
    {
        foreach (var file in split.Files)
        {
            var path = Path.Combine(directory, file.File);
            var info = new FileInfo(path);
            if (!info.Exists) Fail(path, "missing", $"the {file.Role} shard listed in meta.json; {Redo}");
            if (info.Length != file.Bytes)
                Fail(path, $"{info.Length:N0} bytes on disk", $"{file.Bytes:N0} bytes as meta.json records — the shard is {(info.Length < file.Bytes ? "truncated" : "longer")}; {Redo}");
            if (verification == ShardVerification.Full && FileHash.Sha256(path) is var actual && actual != file.Sha256)
                Fail(path, $"SHA-256 {actual}", $"{file.Sha256} as meta.json records — the shard was modified; {Redo}");
        }
    }

    public static void Contents(string directory, string name, PreparedSplit split, DatasetMeta meta, ShardVerification verification)
    {
        var offsets = Path.Combine(directory, ShardFiles.Name(name, ShardFiles.Offsets));
        var last = split.Count * split.Segments;
        var first = split.Offset(0);
        var end = split.Offset(last);
        if (first != 0 || end != split.TokenCount)
            Fail(offsets, $"offsets from {first} to {end}", $"from 0 to the token count {split.TokenCount}; {Redo}");
        if (verification != ShardVerification.Full) return;

        long previous = 0;
        for (var example = 0L; example < split.Count; example++)
            for (var segment = 0; segment < split.Segments; segment++)
            {
                var (start, stop) = split.Segment(example, segment);
                if (start != previous || stop < start)
                    Fail(offsets, $"segment {segment} of example {example} spans [{start}, {stop})", $"non-decreasing offsets; {Redo}");
                previous = stop;
            }
        var buffer = new long[1 << 14];
        for (long at = 0; at < split.TokenCount; at += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, split.TokenCount - at));
            split.ReadTokens(at, chunk);
            foreach (var id in chunk)
                if (id >= meta.VocabSize)
                    Fail(Path.Combine(directory, ShardFiles.Name(name, ShardFiles.Tokens)), $"token id {id}", $"ids below vocab_size {meta.VocabSize}; {Redo}");
        }
        if (split.HasLabels && meta.Labels is { } labels)
            for (var example = 0L; example < split.Count; example++)
                if (split.Label(example) is var label && (label < 0 || label >= labels.Count))
                    Fail(Path.Combine(directory, ShardFiles.Name(name, ShardFiles.Labels)), $"label id {label} for example {example}",
                        $"an id below the {labels.Count} labels; {Redo}");
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string location, string problem, string expected) => throw new DataFormatException(location, problem, expected);
}
