// Ctrl+C (SIGINT) or SIGTERM during training: the first asks the trainer to finish its step, save a checkpoint and
// exit 130, however long the step, evaluation and save take; a second one stops the process at once (the last
// complete checkpoint is still there: saves are atomic). A rank under mpirun also takes SIGUSR1, which mpirun
// forwards to every rank: `train --nproc N` turns the user's Ctrl+C into it (MpiLauncher).
using System.Runtime.InteropServices;
using Transformer.Distributed;

namespace Transformer.Cli;

internal sealed class Interrupts : IDisposable
{
    private readonly PosixSignalRegistration[] registrations;
    private int received;

    private Interrupts(CancellationTokenSource interrupt)
    {
        PosixSignal[] signals = MpiCommunicator.Launched ? [PosixSignal.SIGINT, PosixSignal.SIGTERM, Usr1] : [PosixSignal.SIGINT, PosixSignal.SIGTERM];
        registrations = signals.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            if (Interlocked.Increment(ref received) > 1) return;        // not cancelled: the runtime's default, termination
            context.Cancel = true;
            // SIGUSR1 comes from the launcher, which has said it once for all ranks.
            if (context.Signal != Usr1)
                Console.Error.WriteLine($"transformer: {context.Signal}: finishing the step and saving a checkpoint (again to stop at once)");
            interrupt.Cancel();
        })).ToArray();
    }

    /// <summary>SIGUSR1 on Linux (a raw signal number: .NET names only the portable signals).</summary>
    public const PosixSignal Usr1 = (PosixSignal)10;

    public static Interrupts FinishTheStep(CancellationTokenSource interrupt) => new(interrupt);

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
