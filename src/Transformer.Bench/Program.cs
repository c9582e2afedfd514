// Benchmark commands: overhead (per-op cost), memory (RSS over a long training loop), step (ms per training step),
// train and torchsharp (the trainer and a plain TorchSharp loop), … scripts/bench.sh runs them against PyTorch;
// fuzz (mutated inputs through every file reader) is scripts/fuzz.sh's.
using System.Globalization;
using Transformer.Bench;
using Transformer.Engine;

// Every command loads the engine as the framework does (TorchSharp's own loader fails where libstdc++ predates
// GCC 13; matmul and torchsharp touch no framework type that would) and applies TRANSFORMER_NUM_THREADS.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // numbers print alike on every machine
TorchLoader.EnsureLoaded();
return args.FirstOrDefault() switch
{
    "overhead" => OverheadBenchmark.Run(args.Skip(1).ToArray()),
    "memory" => MemoryBenchmark.Run(args.Skip(1).ToArray()),
    "step" => StepBenchmark.Run(args.Skip(1).ToArray()),
    "model" => ModelBenchmark.Run(args.Skip(1).ToArray()),
    "tokenizer" => TokenizerBenchmarkCommand.Run(args.Skip(1).ToArray()),
    "train" => TrainBenchmark.Run(args.Skip(1).ToArray()),
    "torchsharp" => TorchSharpBaseline.Run(args.Skip(1).ToArray()),
    "matmul" => MatmulBenchmark.Run(args.Skip(1).ToArray()),
    "kernels" => KernelBenchmark.Run(args.Skip(1).ToArray()),
    "generate" => GenerateBenchmark.Run(args.Skip(1).ToArray()),
    "fuzz" => FuzzCommand.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Transformer.Bench overhead [--iterations N] | memory [--steps N] | step [--steps N] | model [--steps N] | tokenizer [CORPUS] | generate [--runs N] | train tiny|small|base [--steps N] [--warmup N] [--losses] [--precision fp32|bf16] | torchsharp tiny|small|base [--steps N] [--warmup N] [--losses] | matmul | kernels [--samples N] | fuzz [--inputs N] [--seed S] [--formats a,b] [--jobs N] | fuzz --repro FORMAT:SEED");
    return 2;
}
