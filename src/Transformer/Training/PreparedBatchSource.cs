// Batches from prepared shards for the trainer: token-budget batches for pairs and labeled data,
// block windows for language modelling (masked, for masked language models); each epoch's order is a function of
// (seed, epoch).
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Data.Shards;
using Transformer.Models;

namespace Transformer.Training;

public sealed class PreparedBatchSource : IBatchSource, IDisposable
{
    private readonly PreparedDataset data;
    private readonly Func<string, IEnumerable<Batch>> validation;
    private readonly Func<DataCursor, IEnumerable<Batch>> training;

    public PreparedBatchSource(PreparedDataset data, ExperimentConfig config, Text.TextTokenizer tokenizer)
    {
        this.data = data;
        Tokenizer = tokenizer;
        var budget = new TokenBudgetOptions { MaxTokens = config.Training.BatchTokens, MaxLength = config.Model.MaxPositions, Seed = config.Seed };
        switch (config.Model)
        {
            case EncoderDecoderConfig:
                training = cursor => new Seq2SeqBatchStream(data, "train", budget).Read(cursor);
                validation = split => new Seq2SeqBatchStream(data, split, budget).ReadEpoch(0);
                break;
            case EncoderClassifierConfig:
                // Long texts (e-mails) are cut to the model's positions rather than refused.
                training = cursor => new ClassificationBatchStream(data, "train", budget, truncateTo: config.Model.MaxPositions).Read(cursor);
                validation = split => new ClassificationBatchStream(data, split, budget, truncateTo: config.Model.MaxPositions).ReadEpoch(0);
                break;
            case EncoderMlmConfig mlm:
            {
                // Rows are [BOS] + a window of the stream, max_positions long; masking as MlmMasking describes it.
                var mask = tokenizer.MaskId ?? throw new ConfigException("tokenizer.special_tokens.mask", null, "a mask token for model.kind encoder_mlm");
                var masking = new MlmMaskingOptions
                {
                    MaskId = mask, VocabSize = tokenizer.VocabSize, SpecialIds = tokenizer.SpecialIds.Select(i => (long)i).ToArray(),
                    Probability = mlm.MaskProbability, Seed = config.Seed,
                };
                var rowBlock = mlm.MaxPositions - (data.Meta.BosId is null ? 0 : 1);
                if (rowBlock < 1) throw new ConfigException("model.max_positions", mlm.MaxPositions, "at least 2 (BOS and one token)");
                var rowWindows = new WindowOptions { BlockSize = rowBlock, BatchSize = Math.Max(1, config.Training.BatchTokens / mlm.MaxPositions), Seed = config.Seed };
                if (config.Data.EvalStride > rowBlock)
                    throw new ConfigException("data.eval_stride", config.Data.EvalStride, $"at most the window of {rowBlock} tokens (model.max_positions, less BOS)");
                // Validation masks with a seed of its own, the same in every run and at every evaluation.
                var validMasking = new MlmMasking(masking with { Seed = 0 });
                var trainMasking = new MlmMasking(masking);
                var evaluationWindows = rowWindows with { Seed = 0, Stride = config.Data.EvalStride ?? rowBlock };
                training = cursor => new MaskedLanguageModelBatchStream(data, "train", rowWindows with { RandomOffset = config.Data.RandomOffset }, trainMasking).Read(cursor);
                validation = split => new MaskedLanguageModelBatchStream(data, split, evaluationWindows, validMasking).ReadEpoch(0);
                break;
            }
            default:
                var block = Math.Min(config.Model.MaxPositions, 256);
                var windows = new WindowOptions { BlockSize = block, BatchSize = Math.Max(1, config.Training.BatchTokens / block), Seed = config.Seed };
                if (config.Data.EvalStride > block)
                    throw new ConfigException("data.eval_stride", config.Data.EvalStride, $"at most the block size {block} (model.max_positions, at most 256)");
                var evaluation = windows with { Seed = 0, Stride = config.Data.EvalStride ?? block };
                training = cursor => new LanguageModelBatchStream(data, "train", windows with { RandomOffset = config.Data.RandomOffset }).Read(cursor);
                validation = split => new LanguageModelBatchStream(data, split, evaluation, ignoreIndex: config.Model.PadIndex).ReadEpoch(0);
                break;
        }
    }

    public IEnumerable<Batch> Epoch(long epoch, long position)
    {
        foreach (var batch in training(new DataCursor(epoch, position)))
        {
            if (batch.At.Epoch != epoch)
            {
                batch.Dispose();
                yield break;
            }
            yield return batch;
        }
    }

    public IEnumerable<Batch> Validation() => validation("valid");

    /// <summary>The tokenizer the shards were made with.</summary>
    public Text.TextTokenizer Tokenizer { get; }

    /// <summary>What the shards were made from (meta.json).</summary>
    public DatasetMeta Meta => data.Meta;

    /// <summary>Class names of labeled data, in label-id order; null otherwise.</summary>
    public IReadOnlyList<string>? Labels => data.Meta.Labels;

    /// <summary>Batches of any prepared split (valid or test), in a fixed order.</summary>
    public IEnumerable<Batch> Split(string name) => data.Splits.ContainsKey(name) ? validation(name)
        : throw new ConfigException("split", name, $"one of the prepared splits: {string.Join(", ", data.Splits.Keys)}");

    /// <summary>The (source, target) token ids of every example of a seq2seq split, in prepared order (the order of
    /// its source file), without BOS/EOS.</summary>
    public IEnumerable<(long[] Source, long[] Target)> Pairs(string name)
    {
        var split = data.Splits.TryGetValue(name, out var s) ? s
            : throw new ConfigException("split", name, $"one of the prepared splits: {string.Join(", ", data.Splits.Keys)}");
        if (split.Segments != 2) throw new InvalidOperationException($"the {name} split holds {split.Segments} segment(s) per example, not (source, target) pairs");
        for (long e = 0; e < split.Count; e++) yield return (split.ReadSegment(e, 0), split.ReadSegment(e, 1));
    }

    public void Dispose() => data.Dispose();
}
