// Entry point of the `transformer` command: parse, run, and turn every failure into one line on stderr and
// the exit code of its kind (ErrorReport; a stack trace only with --verbose).
using System.CommandLine;
using System.Globalization;
using Transformer.Cli;
using Transformer.Cli.Commands;
using Transformer.Engine;

// Numbers and dates print the same on every machine (globalization is on for Unicode normalization only).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
// Under mpirun a rank's stdout is a pseudo-terminal that mpirun relays to its own stdout, often a log file, and .NET
// would open it with the terminal's keypad sequence (ESC [?1h ESC =). Ranks print plain lines: no terminal type.
if (Transformer.Distributed.MpiCommunicator.Launched) Environment.SetEnvironmentVariable("TERM", null);

var verbose = new Option<bool>("--verbose") { Description = "Print stack traces of errors", Recursive = true };
var root = new RootCommand("Train, evaluate and generate with Transformer models on TorchSharp (libtorch).")
{
    TrainCommand.Create(),
    PrepareCommand.Create(),
    EvaluateCommand.Create(),
    GenerateCommand.Create(),
    InfoCommand.Create(),
    PlotCommand.Create(),
    AverageCommand.Create(),
    ExportCommand.Create(),
    TokenizerCommand.Create(),
    ReportCommand.Create(),
    AttentionCommand.Create(),
};
root.Options.Add(verbose);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"transformer: {error.Message}");
    Console.Error.WriteLine("Run 'transformer --help' for usage.");
    return ExitCodes.BadInput;
}
using var interrupt = new CancellationTokenSource();
// `train --nproc N` only starts mpirun; it forwards the signals itself (MpiLauncher), the ranks handle them.
using var signals = parse.CommandResult.Command.Name == "train" && !MpiLauncher.Relaunches(parse) ? Interrupts.FinishTheStep(interrupt) : null;
try
{
    TorchLoader.EnsureLoaded();   // TorchSharp's native library, loadable even on an older libstdc++ (or one line why not)
    // Our handlers below turn errors into one line and the right exit code; the library's would print a trace. Signals:
    // training handles its own (Interrupts); every other command stops at once, as a command line tool does.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
        interrupt.Token);
}
catch (Exception e)
{
    return ErrorReport.Report(e, parse.GetValue(verbose), Console.Error);
}
