// Each fused kernel against the libtorch operators it replaces (Engine/Fused*.cs), alternating A B A B
// and reporting the median of several samples, at 1 and 2 intra-op threads.
// Usage: Transformer.Bench kernels [--samples N] [dropout|ce|adamw]
using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Transformer.Engine;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class KernelBenchmark
{
    public static int Run(string[] args)
    {
        var samples = (int)Options.Get(args, "--samples", 7);
        var filter = args.FirstOrDefault(a => a is "dropout" or "ce" or "adamw") ?? "";
        Console.WriteLine($"{Environment.ProcessorCount} cores, Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, samples {samples}");
        Console.WriteLine($"{"case",-34} {"threads",7} {"libtorch ms",12} {"fused ms",10} {"fused/libtorch",15}");

        // An unprinted first pass: glibc raises its mmap threshold as large blocks are freed, after which big temporaries
        // come from the heap without fresh page faults (costly in a VM). Timing only after it measures that steady state.
        var quiet = true;
        foreach (var threads in new[] { 2, 1, 2 })
        {
            set_num_threads(threads);
            if (filter is "" or "dropout") Dropout(threads);
            if (filter is "" or "ce") CrossEntropy(threads);
            if (filter is "" or "adamw") AdamWStep(threads);
            quiet = false;
        }
        return 0;

        void Dropout(int threads)
        {
            manual_seed(1);
            using var x = randn(32 * 64, 1024).requires_grad_();
            using var upstream = randn(32 * 64, 1024);
            void Run(Func<Tensor, Tensor> dropout)
            {
                using var scope = NewDisposeScope();
                x.grad = null;
                // Through a view, as in a network where the input comes from another operator: its gradient is then handed on,
                // not copied into a leaf's .grad (a custom function's returned gradient is also held by its C# wrapper).
                dropout(x.view(32 * 64, 1024)).backward([upstream]);
            }
            Compare("dropout (2048,1024) p=0.1 fwd+bwd", threads, 10,
                () => Run(t => nn.functional.dropout(t, 0.1, true)),
                () => Run(t => Fused.dropout(t, 0.1, true)));
            Compare("dropout (2048,1024) p=0.1 fwd only", threads, 10,
                () => { using var scope = NewDisposeScope(); using (no_grad()) nn.functional.dropout(x, 0.1, true); },
                () => { using var scope = NewDisposeScope(); using (no_grad()) Fused.dropout(x, 0.1, true); });
        }

        void CrossEntropy(int threads)
        {
            manual_seed(2);
            using var logits = randn(2048, 8000).requires_grad_();
            using var target = randint(0, 8000, [2048]);
            using (no_grad()) target[..64] = tensor(-100L); // some padding
            Tensor view = null!;
            void Run(Func<Tensor> loss)
            {
                using var scope = NewDisposeScope();
                logits.grad = null;
                view = logits.view(2048, 8000);
                loss().backward();
            }
            Compare("cross_entropy (2048,8000) ε=0.1 f+b", threads, 3,
                () => Run(() => nn.functional.cross_entropy(view, target, ignore_index: -100, label_smoothing: 0.1)),
                () => Run(() => Fused.cross_entropy(view, target, out _, out _, -100, 0.1)));
            // What the trainer ran before: libtorch's loss plus the argmax and counts it logs.
            Compare("  same, libtorch + counts", threads, 3,
                () => Run(() =>
                {
                    using (no_grad())
                    {
                        var counted = target.ne(-100);
                        _ = counted.sum().item<long>();
                        _ = view.argmax(-1).eq(target).logical_and_(counted).sum().item<long>();
                    }
                    return nn.functional.cross_entropy(view, target, ignore_index: -100, label_smoothing: 0.1);
                }),
                () => Run(() => Fused.cross_entropy(view, target, out _, out _, -100, 0.1)));
        }

        void AdamWStep(int threads)
        {
            // ~20M parameters shaped like a 6-layer d=512 Transformer with an 8000-token embedding.
            var shapes = new List<long[]> { new long[] { 8000, 512 } };
            for (var layer = 0; layer < 6; layer++)
            {
                shapes.AddRange([[512, 512], [512], [512, 512], [512], [512, 512], [512], [512, 512], [512], [512], [512]]);
                shapes.AddRange([[2048, 512], [2048], [512, 2048], [512], [512], [512]]);
            }
            manual_seed(3);
            Parameter[] Make() => shapes.Select(s =>
            {
                var p = new Parameter(randn(s));
                p.grad = randn(s);
                return p;
            }).ToArray();
            var a = Make();
            var b = Make();
            if (!quiet) Console.WriteLine($"  AdamW over {a.Sum(p => p.numel()) / 1e6:F1}M parameters in {a.Length} tensors");
            using var plain = new AdamW(a, lr: 1e-4, weight_decay: 0.01);
            using var fused = new FusedAdamW(b, lr: 1e-4, weight_decay: 0.01);
            Compare("AdamW step ~20M params", threads, 1, () => plain.step(), () => fused.step());
            foreach (var p in a.Concat(b))
            {
                p.grad = null;
                p.Dispose();
            }
        }

        void Compare(string name, int threads, int iterations, Action libtorch, Action fused)
        {
            for (var w = 0; w < 2; w++)
            {
                libtorch();
                fused();
            }
            if (quiet) return;
            var timesA = new List<double>();
            var timesB = new List<double>();
            for (var s = 0; s < samples; s++)
            {
                timesA.Add(Time(libtorch, iterations));
                timesB.Add(Time(fused, iterations));
            }
            var (ma, mb) = (Median(timesA), Median(timesB));
            Console.WriteLine($"{name,-34} {threads,7} {ma,12:F2} {mb,10:F2} {mb / ma,15:F2}");
        }

        double Time(Action action, int iterations)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) action();
            return watch.Elapsed.TotalMilliseconds / iterations;
        }

        double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }
    }
}
