// Typed model configuration: one record per model kind over shared Transformer dimensions. Each
// field documents its default; Validate() checks everything once and names the offending key.
using Transformer.Configuration;

namespace Transformer.Models;

public enum PositionalEncodingKind
{
    /// <summary>Fixed sinusoids added to the embeddings (Vaswani et al. §3.5).</summary>
    Sinusoidal,
    /// <summary>A learned embedding per position, added to the token embeddings.</summary>
    Learned,
    /// <summary>Rotary position embedding applied to queries and keys inside attention (Su et al.).</summary>
    Rotary,
    /// <summary>No position information.</summary>
    None,
}

public enum FeedForwardActivation
{
    Relu,
    Gelu,
    /// <summary>SwiGLU: (SiLU(x W₁) ⊙ x W₃) W₂ (Shazeer 2020).</summary>
    SwiGlu,
}

/// <summary>How a weights file names its tensors.</summary>
public enum WeightNames
{
    /// <summary>Detected from the names: PyTorch's when any is torch.nn.Transformer-shaped, else ours.</summary>
    Auto,
    /// <summary>Our modules' state_dict names (checkpoints, `transformer export --names ours`).</summary>
    Ours,
    /// <summary>The torch.nn.Transformer-shaped reference models' names (docs/parity.md; PyTorchNames).</summary>
    PyTorch,
}

/// <summary>The dimensions and options every model kind shares.</summary>
public abstract record ModelConfig
{
    /// <summary>Width of every layer (d_model). Default 512.</summary>
    public int DModel { get; init; } = 512;
    /// <summary>Attention heads; must divide DModel. Default 8.</summary>
    public int Heads { get; init; } = 8;
    /// <summary>Hidden width of the position-wise feed-forward network (d_ff). Default 2048.</summary>
    [Configuration.ConfigKey("d_ff")]
    public int DFeedForward { get; init; } = 2048;
    /// <summary>Dropout on embeddings, sub-layer outputs and inside the feed-forward network. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Dropout on the attention weights. Default 0.0 (PyTorch's nn.Transformer uses Dropout here too).</summary>
    public double AttentionDropout { get; init; } = 0.0;
    /// <summary>Feed-forward activation. Default ReLU (the paper).</summary>
    public FeedForwardActivation Activation { get; init; } = FeedForwardActivation.Relu;
    /// <summary>Pre-LN (norm before each sub-layer) instead of the paper's post-LN. Default false.</summary>
    public bool NormFirst { get; init; }
    /// <summary>A final LayerNorm on each stack; null means "when NormFirst" (nn.Transformer always has one). Default null.</summary>
    public bool? FinalNorm { get; init; }
    /// <summary>LayerNorm epsilon. Default 1e-5.</summary>
    public double LayerNormEps { get; init; } = 1e-5;
    /// <summary>How positions are encoded. Default sinusoidal.</summary>
    public PositionalEncodingKind Positional { get; init; } = PositionalEncodingKind.Sinusoidal;
    /// <summary>Longest sequence the positional encoding covers. Default 1024.</summary>
    public int MaxPositions { get; init; } = 1024;
    /// <summary>Multiply token embeddings by √DModel (the paper). Default true.</summary>
    public bool ScaleEmbedding { get; init; } = true;
    /// <summary>Token id of padding: never attended to, embedding row kept at zero. Default 0.</summary>
    public int PadIndex { get; init; }
    /// <summary>Weights a new run starts from instead of the random initialisation: a PyTorch state dict (.pt, .pth or .bin,
    /// saved with torch.save), a .safetensors file, or one of our checkpoints or run directories. A resumed run
    /// starts from its checkpoint instead. Default null.</summary>
    public string? InitFrom { get; init; }
    /// <summary>How init_from names its tensors: auto (detected), ours, or pytorch (torch.nn.Transformer-shaped). Default auto.</summary>
    public WeightNames InitFromFormat { get; init; } = WeightNames.Auto;
    /// <summary>The modules init_from copies, as state_dict name prefixes (embed, encoder, encoder.layers.0, …); the
    /// others keep their random initialisation. Null copies every tensor. Default null.</summary>
    public IReadOnlyList<string>? InitModules { get; init; }
    /// <summary>Where init_from holds the tensors of modules it names differently: {our module: its module in init_from},
    /// e.g. {source_embed: embed} starts an encoder–decoder's source embedding from a classifier's embed, {encoder: decoder}
    /// a classifier's encoder from a language model's stack. Modules not listed are looked up under their own names.
    /// Default null.</summary>
    public IReadOnlyDictionary<string, string>? InitMap { get; init; }

    public bool HasFinalNorm => FinalNorm ?? NormFirst;

    /// <summary>Throws a ConfigException naming the first invalid key (keys in YAML spelling, under `model.`).</summary>
    public virtual void Validate()
    {
        Positive("d_model", DModel);
        Positive("heads", Heads);
        if (DModel % Heads != 0) throw new ConfigException("model.heads", Heads, $"a divisor of model.d_model ({DModel})");
        Positive("d_ff", DFeedForward);
        Probability("dropout", Dropout);
        Probability("attention_dropout", AttentionDropout);
        if (!(LayerNormEps > 0)) throw new ConfigException("model.layer_norm_eps", LayerNormEps, "a positive number");
        Positive("max_positions", MaxPositions);
        if (Positional == PositionalEncodingKind.Rotary && (DModel / Heads) % 2 != 0)
            throw new ConfigException("model.positional", "rotary", $"an even head size (d_model / heads = {DModel / Heads})");
        if (PadIndex < 0) throw new ConfigException("model.pad_index", PadIndex, "a token id ≥ 0");
        ValidateInit();
    }

    private void ValidateInit()
    {
        if (InitFrom is null)
        {
            if (InitModules is not null)
                throw new ConfigException("model.init_modules", new ShownValue("[" + string.Join(", ", InitModules) + "]"), "null unless model.init_from is set");
            if (InitMap is not null)
                throw new ConfigException("model.init_map", new ShownValue(InitMap.ToString() ?? ""), "null unless model.init_from is set");
            if (InitFromFormat != WeightNames.Auto)
                throw new ConfigException("model.init_from_format", ConfigNaming.EnumValue(InitFromFormat), "auto unless model.init_from is set");
            return;
        }
        if (InitFrom.Trim().Length == 0) throw new ConfigException("model.init_from", InitFrom, "a file or directory path, or null");
        if (InitMap is not null)
        {
            if (InitMap.Count == 0) throw new ConfigException("model.init_map", new ShownValue("{}"), "at least one entry {our module: its module in init_from}, or null");
            foreach (var (ours, theirs) in InitMap)
            {
                if (!ModuleSelection.IsPrefix(ours))
                    throw new ConfigException("model.init_map", ours, "our module names as keys, such as source_embed or encoder (dot-separated, no wildcards)");
                if (!ModuleSelection.IsPrefix(theirs))
                    throw new ConfigException("model.init_map." + ours, theirs, "a module name of init_from, such as embed or decoder (dot-separated, no wildcards)");
            }
        }
        if (InitModules is null) return;
        if (InitModules.Count == 0) throw new ConfigException("model.init_modules", new ShownValue("[]"), "at least one module, or null for all");
        foreach (var prefix in InitModules)
            if (!ModuleSelection.IsPrefix(prefix))
                throw new ConfigException("model.init_modules", prefix, "a module name such as embed, encoder or encoder.layers.0 (dot-separated, no wildcards)");
    }

    protected static void Positive(string key, int value)
    {
        if (value <= 0) throw new ConfigException("model." + key, value, "a positive integer");
    }

    protected static void Probability(string key, double value)
    {
        if (!(value >= 0 && value < 1)) throw new ConfigException("model." + key, value, "a probability in [0, 1)");
    }

    protected void Vocabulary(string key, int size)
    {
        if (size <= 0) throw new ConfigException("model." + key, size, "a positive vocabulary size");
        if (PadIndex >= size) throw new ConfigException("model.pad_index", PadIndex, $"a token id below model.{key} ({size})");
    }
}

/// <summary>Translation-style sequence-to-sequence model.</summary>
public sealed record EncoderDecoderConfig : ModelConfig
{
    public int SourceVocabSize { get; init; }
    public int TargetVocabSize { get; init; }
    /// <summary>Encoder layers. Default 6.</summary>
    public int EncoderLayers { get; init; } = 6;
    /// <summary>Decoder layers. Default 6.</summary>
    public int DecoderLayers { get; init; } = 6;
    /// <summary>One embedding matrix for source and target (needs one vocabulary). Default false.</summary>
    public bool ShareEmbeddings { get; init; }
    /// <summary>Output projection tied to the target embedding (the paper). Default true.</summary>
    public bool TieOutput { get; init; } = true;

    public override void Validate()
    {
        base.Validate();
        Vocabulary("source_vocab_size", SourceVocabSize);
        Vocabulary("target_vocab_size", TargetVocabSize);
        Positive("encoder_layers", EncoderLayers);
        Positive("decoder_layers", DecoderLayers);
        if (ShareEmbeddings && SourceVocabSize != TargetVocabSize)
            throw new ConfigException("model.share_embeddings", true, $"equal vocabularies (source {SourceVocabSize}, target {TargetVocabSize})");
    }
}

/// <summary>GPT-style language model.</summary>
public sealed record DecoderOnlyConfig : ModelConfig
{
    public DecoderOnlyConfig()
    {
        NormFirst = true;
        ScaleEmbedding = false;
    }

    public int VocabSize { get; init; }
    /// <summary>Layers. Default 6.</summary>
    public int Layers { get; init; } = 6;
    /// <summary>Output projection tied to the input embedding. Default true.</summary>
    public bool TieOutput { get; init; } = true;

    public override void Validate()
    {
        base.Validate();
        Vocabulary("vocab_size", VocabSize);
        Positive("layers", Layers);
    }
}

public enum Pooling
{
    /// <summary>The first position's output (a [CLS]-style token).</summary>
    First,
    /// <summary>The mean over non-padding positions.</summary>
    Mean,
}

/// <summary>Sequence classifier: an encoder, pooling, and a classification head.</summary>
public sealed record EncoderClassifierConfig : ModelConfig
{
    public int VocabSize { get; init; }
    public int NumClasses { get; init; }
    /// <summary>Layers. Default 6.</summary>
    public int Layers { get; init; } = 6;
    /// <summary>How the sequence becomes one vector. Default mean.</summary>
    public Pooling Pooling { get; init; } = Pooling.Mean;

    public override void Validate()
    {
        base.Validate();
        Vocabulary("vocab_size", VocabSize);
        if (NumClasses < 2) throw new ConfigException("model.num_classes", NumClasses, "at least 2 classes");
        Positive("layers", Layers);
    }
}

/// <summary>BERT-style masked language model: an encoder (the same modules, under the same names, as
/// EncoderClassifier's: embed, positions, encoder) and an MLM head (dense, GELU, LayerNorm, output projection).</summary>
public sealed record EncoderMlmConfig : ModelConfig
{
    public int VocabSize { get; init; }
    /// <summary>Layers. Default 6.</summary>
    public int Layers { get; init; } = 6;
    /// <summary>Output projection tied to the token embedding (BERT), plus a bias of its own. Default true.</summary>
    public bool TieOutput { get; init; } = true;
    /// <summary>Chance that a token (not padding, not a special token) is chosen for prediction; of the chosen, 80%
    /// become the mask token, 10% a random token and 10% stay. Default 0.15 (BERT).</summary>
    public double MaskProbability { get; init; } = 0.15;

    public override void Validate()
    {
        base.Validate();
        Vocabulary("vocab_size", VocabSize);
        Positive("layers", Layers);
        if (!(MaskProbability > 0 && MaskProbability < 1)) throw new ConfigException("model.mask_probability", MaskProbability, "a probability in (0, 1)");
    }
}
