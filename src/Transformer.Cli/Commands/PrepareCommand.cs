// transformer prepare CONFIG [--set key=value]...: tokenizer (loaded or trained) and binary shards.
using System.CommandLine;
using Transformer.Configuration;
using Transformer.Training;

namespace Transformer.Cli.Commands;

internal static class PrepareCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "YAML experiment file naming the data and tokenizer" };
        var set = new Option<string[]>("--set") { Description = "Override a config key (repeatable)" };
        var command = new Command("prepare", "Tokenize an experiment's data into binary shards (does nothing when they are up to date).") { config, set };
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(set) ?? Array.Empty<string>()));
        return command;
    }

    private static int Run(FileInfo configFile, string[] overrides)
    {
        var experiment = ConfigLoader.Load(configFile.FullName, overrides);
        if (experiment.Data.Builtin is not null)
        {
            Console.WriteLine($"{experiment.Name}: built-in data (data.builtin: {experiment.Data.Builtin}) needs no preparation");
            return ExitCodes.Success;
        }
        var result = ExperimentData.Prepare(experiment, line => Console.WriteLine(line));
        foreach (var (name, split) in result.Meta.Splits)
            Console.WriteLine($"  {name,-6} {split.Examples,10:N0} examples {split.Tokens,12:N0} tokens");
        return ExitCodes.Success;
    }
}
