// libtorch has one global random generator: seeded builds and sampling in parallel test classes would
// draw from it in turn and become flaky. These tests are fast; run them one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Transformer.Tests
{
    internal static class EngineStart
    {
        // Tests that use torch before touching a framework type still get the loadable native library.
#pragma warning disable CA2255
        [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
        internal static void Load() => Transformer.Engine.TorchLoader.EnsureLoaded();
    }
}
