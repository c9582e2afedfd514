// The live progress display on a terminal (Spectre.Console): step/total, loss, learning rate, tokens/s
// and ETA, with evaluations and checkpoints printed above it. Redirected output and CI get plain lines.
using System.Globalization;
using Spectre.Console;
using Transformer.Training;

namespace Transformer.Cli;

internal static class LiveProgress
{
    public static bool Interactive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/> with the live display when on a terminal, else with plain lines.</summary>
    public static TrainingOutcome Run(long? maxSteps, Func<ITrainingObserver, TrainingOutcome> train)
    {
        if (!Interactive) return train(new ConsoleObserver());
        TrainingOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: maxSteps ?? 1);
                task.IsIndeterminate = maxSteps is null;
                outcome = train(new Observer(task, maxSteps));
                task.StopTask();
            });
        return outcome!;
    }

    private sealed class Observer(ProgressTask task, long? maxSteps) : ITrainingObserver
    {
        public void OnStart(long step, long? max) => task.Value = step;

        public void OnLog(long step, IReadOnlyDictionary<string, double> m)
        {
            task.Value = maxSteps is null ? 0 : step;
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"step {step}{(maxSteps is { } max ? $"/{max}" : "")}  loss {m["loss"]:F4}  lr {m["lr"]:E2}  {m["tokens_per_s"]:F0} tok/s");
        }

        public void OnEvaluation(long step, IReadOnlyDictionary<string, double> m, bool improved) =>
            AnsiConsole.MarkupLine(Markup.Escape(ConsoleObserver.EvaluationLine(step, m, improved)));

        public void OnCheckpoint(long step, string path) =>
            AnsiConsole.MarkupLine(Markup.Escape($"saved {Path.GetRelativePath(Environment.CurrentDirectory, path)}"));
    }
}
