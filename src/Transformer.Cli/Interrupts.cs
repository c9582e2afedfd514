// Ctrl+C (SIGINT) or SIGTERM during training: the first asks the trainer to finish its step, save a checkpoint and
// exit 130, however long the step, evaluation and save take; a second one stops the process at once (the last
// complete checkpoint is still there: saves are atomic).
using System.Runtime.InteropServices;

namespace Transformer.Cli;

internal sealed class Interrupts : IDisposable
{
    private readonly PosixSignalRegistration[] registrations;
    private int received;

    private Interrupts(CancellationTokenSource interrupt)
    {
        registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            if (Interlocked.Increment(ref received) > 1) return;        // not cancelled: the runtime's default, termination
            context.Cancel = true;
            Console.Error.WriteLine($"transformer: {context.Signal}: finishing the step and saving a checkpoint (again to stop at once)");
            interrupt.Cancel();
        })).ToArray();
    }

    public static Interrupts FinishTheStep(CancellationTokenSource interrupt) => new(interrupt);

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
