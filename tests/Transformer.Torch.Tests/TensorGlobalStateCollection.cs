// Tests that touch process-wide libtorch state (the CPU generator, the intra-op thread count) run in
// this collection, which xunit runs on its own after the parallel ones, so no other test draws random
// numbers or changes thread counts in the middle of them.
namespace Transformer.Torch.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TensorGlobalStateCollection
{
    public const string Name = "Tensor global state (RNG, threads)";
}
