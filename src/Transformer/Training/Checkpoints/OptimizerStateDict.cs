// An optimizer's state in PyTorch's state_dict layout, as safetensors can hold it: tensors named
// state.{i}.exp_avg / exp_avg_sq / max_exp_avg_sq / momentum_buffer (i counts parameters across
// groups), and JSON metadata with the optimizer's name, per-parameter step counts and the groups'
// hyperparameters. Works over TorchSharp's Adam, AdamW (and FusedAdamW, which keeps AdamW's state)
// and SGD.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public sealed record OptimizerStateDict(IReadOnlyDictionary<string, Tensor> Tensors, string Metadata)
{
    /// <summary>A copy of <paramref name="optimizer"/>'s state; the caller disposes the tensors.</summary>
    public static OptimizerStateDict Capture(optim.Optimizer optimizer)
    {
        var live = Helper(optimizer).state_dict();
        var tensors = new Dictionary<string, Tensor>();
        var state = new JsonObject();
        for (var i = 0; i < live.State.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, t) in StateTensors(live.State[i]))
                if (t is not null) tensors[$"state.{key}.{name}"] = Copy(t);
            if (Step(live.State[i]) is { } step and > 0) state[key] = new JsonObject { ["step"] = step };
        }
        var groups = new JsonArray();
        var index = 0;
        for (var g = 0; g < live.Options.Count; g++)
        {
            var meta = GroupMetadata(live.Options[g]);
            meta["lr"] = live.Options[g].LearningRate;
            meta["initial_lr"] = live.Options[g].InitialLearningRate;
            meta["params"] = new JsonArray(live.StateIndexRef[g].Select(_ => (JsonNode)index++).ToArray());
            groups.Add(meta);
        }
        var root = new JsonObject { ["optimizer"] = Name(optimizer), ["state"] = state, ["param_groups"] = groups };
        return new OptimizerStateDict(tensors, root.ToJsonString());
    }

    /// <summary>Copies this state into <paramref name="optimizer"/>, which must be the same kind over parameters of
    /// the same shapes; throws ArgumentException naming the first difference.</summary>
    public void Restore(optim.Optimizer optimizer)
    {
        try
        {
            RestoreFromMetadata(optimizer);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException) // JsonNode's accessors: another JSON type, or a number out of range
        {
            throw new ArgumentException($"optimizer state metadata holds a value of the wrong type: {e.Message.TrimEnd('.')}", e);
        }
    }

    private void RestoreFromMetadata(optim.Optimizer optimizer)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(Metadata)?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ArgumentException($"optimizer state metadata is not valid JSON: {(e is JsonException json ? ErrorText.Json(json) : e.Message)}");
        }
        var type = root["optimizer"]?.GetValue<string>();
        if (type != Name(optimizer))
            throw new ArgumentException($"optimizer state was saved by {type ?? "an unknown optimizer"}, loading into {Name(optimizer)}");
        var live = Helper(optimizer).state_dict();
        var groups = root["param_groups"]?.AsArray() ?? throw new ArgumentException("optimizer state has no param_groups");
        if (groups.Count != live.Options.Count)
            throw new ArgumentException($"loaded state has {groups.Count} parameter groups, the optimizer has {live.Options.Count}");
        for (var g = 0; g < groups.Count; g++)
        {
            var count = groups[g]?["params"]?.AsArray().Count ?? -1;
            if (count != live.StateIndexRef[g].Count)
                throw new ArgumentException($"parameter group {g} has {live.StateIndexRef[g].Count} parameters, the loaded state has {count}");
        }
        var parameters = optimizer.parameters().ToArray();
        var steps = root["state"]?.AsObject() ?? new JsonObject();
        using var _ = no_grad();
        // Check everything before changing anything, so a refused state leaves the optimizer as it was.
        for (var i = 0; i < live.State.Count; i++)
            foreach (var (name, t) in StateTensors(live.State[i]))
            {
                var key = $"state.{i.ToString(CultureInfo.InvariantCulture)}.{name}";
                if (Tensors.TryGetValue(key, out var saved) && !saved.shape.SequenceEqual(parameters[i].shape))
                    throw new ArgumentException($"optimizer state {key} has shape [{string.Join(", ", saved.shape)}], parameter {i} has [{string.Join(", ", parameters[i].shape)}]");
            }
        var stepCounts = Enumerable.Range(0, live.State.Count)
            .Select(i => steps[i.ToString(CultureInfo.InvariantCulture)]?["step"]?.GetValue<long>() ?? 0).ToArray();
        for (var i = 0; i < live.State.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            Load(live.State[i], parameters[i], name => Tensors.GetValueOrDefault($"state.{key}.{name}"), stepCounts[i]);
        }
        for (var g = 0; g < groups.Count; g++) RestoreGroup(live.Options[g], groups[g]!.AsObject());
    }

    private static OptimizerHelper Helper(optim.Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new ArgumentException($"{optimizer.GetType().Name} keeps its state natively; only TorchSharp's managed optimizers can be checkpointed");

    /// <summary>The algorithm's name: a fused implementation saves and loads the same state as its reference.</summary>
    private static string Name(optim.Optimizer optimizer) => optimizer switch
    {
        AdamW => "AdamW",
        Adam => "Adam",
        SGD => "SGD",
        _ => optimizer.GetType().Name,
    };

    private static IEnumerable<(string name, Tensor? tensor)> StateTensors(OptimizerState state) => state switch
    {
        AdamW.State s => [("exp_avg", s.exp_avg), ("exp_avg_sq", s.exp_avg_sq), ("max_exp_avg_sq", s.max_exp_avg_sq)],
        Adam.State s => [("exp_avg", s.exp_avg), ("exp_avg_sq", s.exp_avg_sq), ("max_exp_avg_sq", s.max_exp_avg_sq)],
        SGD.State s => [("momentum_buffer", s.momentum_buffer)],
        _ => throw new ArgumentException($"cannot checkpoint optimizer state of type {state.GetType().FullName}"),
    };

    private static long? Step(OptimizerState state) => state switch
    {
        AdamW.State s => s.step,
        Adam.State s => s.step,
        _ => null,
    };

    private static void Load(OptimizerState state, Parameter parameter, Func<string, Tensor?> saved, long step)
    {
        switch (state)
        {
            case AdamW.State s:
                s.step = step;
                Moments(s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq, saved);
                break;
            case Adam.State s:
                s.step = step;
                Moments(s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq, saved);
                break;
            case SGD.State s:
                s.momentum_buffer?.Dispose();
                s.momentum_buffer = saved("momentum_buffer") is { } m ? m.to(parameter.dtype, parameter.device, copy: true).DetachFromDisposeScope() : null!;
                break;
        }
    }

    // Adam's and AdamW's moment estimates (TorchSharp's two State classes share no type).
    private static void Moments(Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, Func<string, Tensor?> saved)
    {
        Into(expAvg, saved("exp_avg"));
        Into(expAvgSq, saved("exp_avg_sq"));
        if (maxExpAvgSq is not null) Into(maxExpAvgSq, saved("max_exp_avg_sq"));
    }

    // A state tensor absent from the file is one that had never been used: zeros, as a fresh optimizer has.
    private static void Into(Tensor live, Tensor? saved)
    {
        if (saved is null) live.zero_();
        else live.copy_(saved);
    }

    private static JsonObject GroupMetadata(OptimizerOptions options) => options switch
    {
        AdamW.Options o => new JsonObject { ["betas"] = new JsonArray(o.beta1, o.beta2), ["eps"] = o.eps, ["weight_decay"] = o.weight_decay, ["amsgrad"] = o.amsgrad },
        Adam.Options o => new JsonObject { ["betas"] = new JsonArray(o.beta1, o.beta2), ["eps"] = o.eps, ["weight_decay"] = o.weight_decay, ["amsgrad"] = o.amsgrad },
        SGD.Options o => new JsonObject { ["momentum"] = o.momentum, ["dampening"] = o.dampening, ["weight_decay"] = o.weight_decay, ["nesterov"] = o.nesterov },
        _ => new JsonObject(),
    };

    private static void RestoreGroup(OptimizerOptions options, JsonObject meta)
    {
        options.LearningRate = meta["lr"]?.GetValue<double>() ?? throw new ArgumentException("optimizer state lacks a group's lr");
        options.InitialLearningRate = meta["initial_lr"]?.GetValue<double>() ?? options.LearningRate.Value;
        switch (options)
        {
            case AdamW.Options o:
                (o.beta1, o.beta2) = Betas(meta);
                (o.eps, o.weight_decay, o.amsgrad) = (Value<double>(meta, "eps"), Value<double>(meta, "weight_decay"), Value<bool>(meta, "amsgrad"));
                break;
            case Adam.Options o:
                (o.beta1, o.beta2) = Betas(meta);
                (o.eps, o.weight_decay, o.amsgrad) = (Value<double>(meta, "eps"), Value<double>(meta, "weight_decay"), Value<bool>(meta, "amsgrad"));
                break;
            case SGD.Options o:
                (o.momentum, o.dampening) = (Value<double>(meta, "momentum"), meta["dampening"]?.GetValue<double>() ?? 0);
                (o.weight_decay, o.nesterov) = (Value<double>(meta, "weight_decay"), Value<bool>(meta, "nesterov"));
                break;
        }
    }

    private static (double, double) Betas(JsonObject meta)
    {
        var betas = meta["betas"]?.AsArray();
        if (betas is not { Count: 2 }) throw new ArgumentException("optimizer state lacks a group's betas");
        if (betas[0] is not { } beta1 || betas[1] is not { } beta2) throw new ArgumentException("optimizer state has a null beta");
        return (beta1.GetValue<double>(), beta2.GetValue<double>());
    }

    private static T Value<T>(JsonObject meta, string key) =>
        meta[key] is { } node ? node.GetValue<T>() : throw new ArgumentException($"optimizer state lacks a group's {key}");

    private static Tensor Copy(Tensor t)
    {
        using var _ = no_grad();
        return t.clone().DetachFromDisposeScope();
    }
}
