// What to prepare: the source files (pre-split into train/valid/test, or train files split by fractions and a
// seed), how to read them, and where the shards go. Validate() names the offending key (YAML spelling).
using Transformer.Data.Sources;

namespace Transformer.Data;

public sealed record PrepareOptions
{
    /// <summary>Directory that will hold meta.json and the shards (YAML: data.prepared_dir). Required.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>How the source files are laid out. Default: plain text, errors on bad lines.</summary>
    public SourceOptions Source { get; init; } = new();
    /// <summary>Training source files, read in this order. Required.</summary>
    public IReadOnlyList<string> Train { get; init; } = [];
    /// <summary>Validation source files; when given (or Test is), the sources are pre-split. Default none.</summary>
    public IReadOnlyList<string> Valid { get; init; } = [];
    /// <summary>Test source files. Default none.</summary>
    public IReadOnlyList<string> Test { get; init; } = [];
    /// <summary>Not pre-split: the fraction of the train files' examples that goes to valid. Default 0.</summary>
    public double ValidFraction { get; init; }
    /// <summary>Not pre-split: the fraction that goes to test. Default 0.</summary>
    public double TestFraction { get; init; }
    /// <summary>Seed of the split's shuffle. Default 0.</summary>
    public long SplitSeed { get; init; }
    /// <summary>Threads that tokenize; the output does not depend on it. Default: the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Examples per EncodeBatch call. Default 256.</summary>
    public int EncodeChunk { get; init; } = 256;

    public bool PreSplit => Valid.Count > 0 || Test.Count > 0;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ConfigException("data.prepared_dir", OutputDirectory, "a directory path");
        Source.Validate();
        if (Train.Count == 0) throw new ConfigException("data.train", null, "at least one source file");
        Fraction("data.valid_fraction", ValidFraction);
        Fraction("data.test_fraction", TestFraction);
        if (ValidFraction + TestFraction >= 1)
            throw new ConfigException("data.test_fraction", TestFraction, $"valid_fraction + test_fraction below 1 (valid_fraction is {ValidFraction})");
        if (PreSplit && ValidFraction + TestFraction > 0)
            throw new ConfigException(ValidFraction > 0 ? "data.valid_fraction" : "data.test_fraction", ValidFraction > 0 ? ValidFraction : TestFraction,
                "0 when valid/test files are given (the sources are already split)");
        if (Parallelism <= 0) throw new ConfigException("data.parallelism", Parallelism, "a positive number of threads");
        if (EncodeChunk <= 0) throw new ConfigException("data.encode_chunk", EncodeChunk, "a positive number of examples");
    }

    private static void Fraction(string key, double value)
    {
        if (!(value >= 0 && value < 1)) throw new ConfigException(key, value, "a fraction in [0, 1)");
    }
}
