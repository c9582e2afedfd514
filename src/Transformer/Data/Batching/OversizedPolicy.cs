// What the token-budget batcher does with an example that cannot fit in a batch on its own.
namespace Transformer.Data.Batching;

public enum OversizedPolicy
{
    /// <summary>Refuse the split with an error naming the example and its lengths. The default.</summary>
    Error,
    /// <summary>Leave such examples out of every epoch and count them (TokenBudgetBatcher.Skipped).</summary>
    Skip,
}
