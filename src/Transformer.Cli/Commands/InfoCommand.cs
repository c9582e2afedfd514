// transformer info CONFIG|CHECKPOINT [--json]: parameter count, resolved config, training state.
using Transformer.Models;
using Transformer.Training;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Transformer.Configuration;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli.Commands;

internal static class InfoCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "A YAML config, a checkpoint directory or a run directory (its best checkpoint)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("info", "Describe a config or a checkpoint.") { target, json };
        command.SetAction(parse => Run(parse.GetValue(target)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string target, bool json)
    {
        ExperimentConfig config;
        TrainerState? state = null;
        if (Directory.Exists(target))
        {
            var (run, checkpoint) = RunDirectory.OfCheckpointOrRun(target);
            config = run.LoadConfig();
            state = Checkpoint.ReadState(checkpoint);
        }
        else if (File.Exists(target)) config = ConfigLoader.Load(target);
        else throw new CliException($"{target}: no such config file or checkpoint directory");
        using var model = Experiment.BuildModel(config);
        var parameters = model.ParameterCount();
        if (json)
        {
            var node = new JsonObject
            {
                ["name"] = config.Name,
                ["model_kind"] = config.Model.GetType().Name.Replace("Config", ""),
                ["parameters"] = parameters,
                ["config"] = ConfigWriter.ToYaml(config),
            };
            if (state is not null) node["training_state"] = JsonSerializer.SerializeToNode(state);
            Console.WriteLine(node.ToJsonString());
            return ExitCodes.Success;
        }
        Console.WriteLine($"experiment  {config.Name}");
        Console.WriteLine($"model       {config.Model.GetType().Name.Replace("Config", "")}, {parameters:N0} parameters");
        if (state is not null)
            Console.WriteLine($"trained     step {state.Step}, epoch {state.Epoch}, {state.TokensSeen:N0} tokens, {state.ElapsedSeconds:F0}s"
                + (state.BestMetric is null ? "" : $"; best {state.BestMetric} {state.BestValue:G6} at step {state.BestStep}"));
        if (state?.InitFrom is { } init) Console.WriteLine($"started     from {init.Describe()}");
        Console.WriteLine();
        Console.Write(ConfigWriter.ToYaml(config));
        return ExitCodes.Success;
    }
}
