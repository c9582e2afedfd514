// The one model factory: every caller (CLI, trainer set-up, benchmarks, tests) builds a model from
// its config record here, so the switch over model kinds appears once.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models;

public static class Model
{
    /// <summary>Validates <paramref name="config"/> and builds its model kind. With a seed the initial weights are
    /// reproducible; they are drawn on the CPU and then moved, so they do not depend on the device.</summary>
    public static nn.Module Build(ModelConfig config, long? seed = null, Device? device = null)
    {
        nn.Module model = config switch
        {
            EncoderDecoderConfig c => EncoderDecoder.Build(c, seed),
            DecoderOnlyConfig c => DecoderOnly.Build(c, seed),
            EncoderClassifierConfig c => EncoderClassifier.Build(c, seed),
            EncoderMlmConfig c => EncoderMlm.Build(c, seed),
            _ => throw new ArgumentException($"unknown model kind {config.GetType().Name}"),
        };
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }

    /// <summary>Number of parameter elements, shared parameters counted once.</summary>
    public static long ParameterCount(this nn.Module model) => model.parameters().Sum(p => p.numel());
}
