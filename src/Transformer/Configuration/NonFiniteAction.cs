// What training does when a step's loss or gradient norm is NaN or infinite.
namespace Transformer.Configuration;

public enum NonFiniteAction
{
    /// <summary>Stop the run with an error naming the step (the last checkpoint stays intact).</summary>
    Stop,
    /// <summary>Skip that step's update (no optimizer step, gradients dropped), count it, and go on.</summary>
    Skip,
}
