#!/usr/bin/python3
"""PyTorch reference fixtures for the model parity tests (tests/Transformer.Tests/ParityTests.cs).

    /usr/bin/python3 scripts/parity/make_fixtures.py OUT_DIR [CASE ...]

For each case (all by default) builds a reference model out of PyTorch's own modules
(nn.Embedding, nn.Transformer, nn.TransformerEncoder, nn.Linear), in float32, with dropout 0 and in
train() mode (so PyTorch's inference fast path and nested tensors are never used), runs it on a
fixed batch with right padding, computes a fixed loss, back-propagates, and writes
OUT_DIR/CASE.safetensors holding

    param.<PyTorch name>   every parameter (state_dict names; a tied weight appears once)
    grad.<PyTorch name>    its gradient
    input.<name>           int64 inputs (source, target, tokens, labels, padding)
    output.logits          the model output
    output.loss            the loss (0-dim)
    output.memory          (encoder-decoder only) the encoder output

and, in __metadata__: case, kind, config (JSON, in the C# config's property names), parameter_count
(sum of numel over unique parameters), loss (its repr), torch_version. Beside it, the model's state dict as
PyTorch users save it: OUT_DIR/CASE.pt (torch.save(model.state_dict())) and OUT_DIR/CASE.state.safetensors
(the same tensors under the same names), for the init_from tests.

The models mirror src/Transformer/Models: token embeddings (padding_idx 0, optionally scaled by
sqrt(d_model)) + the sinusoidal table of PositionalEncoding.cs; the name mapping to our modules is
documented in docs/parity.md.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.dont_write_bytecode = True  # leave no __pycache__ in the repository when the tests run it
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

PAD = 0
SEED = 1234


def sinusoids(max_positions, d_model):
    """PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...), computed in float64 as
    PositionalEncoding.cs does, then rounded to float32."""
    position = torch.arange(0, max_positions, dtype=torch.float64).unsqueeze(1)
    div_term = (torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model)).exp()
    angles = position * div_term
    table = torch.zeros(max_positions, d_model, dtype=torch.float64)
    table[:, 0::2] = angles.sin()
    table[:, 1::2] = angles.cos()[:, : d_model // 2]
    return table.to(torch.float32)


def embed(embedding, tokens, scale, pe):
    """nn.Embedding (padding_idx 0), times sqrt(d_model) when scaled, plus the sinusoids of the positions."""
    x = embedding(tokens)
    if scale:
        x = x * math.sqrt(embedding.embedding_dim)
    return x + pe[: tokens.size(1)]


def causal_mask(length):
    """Float mask, -inf strictly above the diagonal (as nn.Transformer.generate_square_subsequent_mask)."""
    return torch.triu(torch.full((length, length), float("-inf")), diagonal=1)


# ---- reference models ---------------------------------------------------------------------------

class EncoderDecoderRef(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["DModel"]
        self.src_embed = nn.Embedding(c["SourceVocabSize"], d, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(c["TargetVocabSize"], d, padding_idx=PAD)
        self.transformer = nn.Transformer(
            d_model=d, nhead=c["Heads"], num_encoder_layers=c["EncoderLayers"], num_decoder_layers=c["DecoderLayers"],
            dim_feedforward=c["DFeedForward"], dropout=0.0, activation=c["Activation"].lower(),
            layer_norm_eps=c["LayerNormEps"], batch_first=True, norm_first=c["NormFirst"])
        self.output_proj = None if c["TieOutput"] else nn.Linear(d, c["TargetVocabSize"], bias=False)
        self.scale = c["ScaleEmbedding"]
        self.register_buffer("pe", sinusoids(c["MaxPositions"], d), persistent=False)

    def src_in(self, source):
        return embed(self.src_embed, source, self.scale, self.pe)

    def tgt_in(self, target):
        return embed(self.tgt_embed, target, self.scale, self.pe)

    def forward(self, source, target):
        src_pad, tgt_pad = source.eq(PAD), target.eq(PAD)
        memory = self.transformer.encoder(self.src_in(source), src_key_padding_mask=src_pad)
        hidden = self.transformer.decoder(
            self.tgt_in(target), memory, tgt_mask=causal_mask(target.size(1)),
            tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        weight = self.tgt_embed.weight if self.output_proj is None else self.output_proj.weight
        return F.linear(hidden, weight), memory

    def check_against_nn_transformer(self, source, target):
        """The split encoder/decoder calls above must equal nn.Transformer.forward itself."""
        src_pad, tgt_pad = source.eq(PAD), target.eq(PAD)
        hidden = self.transformer(
            self.src_in(source), self.tgt_in(target), tgt_mask=causal_mask(target.size(1)),
            src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        weight = self.tgt_embed.weight if self.output_proj is None else self.output_proj.weight
        return F.linear(hidden, weight)


def encoder_stack(c, layers):
    layer = nn.TransformerEncoderLayer(
        d_model=c["DModel"], nhead=c["Heads"], dim_feedforward=c["DFeedForward"], dropout=0.0,
        activation=c["Activation"].lower(), layer_norm_eps=c["LayerNormEps"], batch_first=True, norm_first=c["NormFirst"])
    norm = nn.LayerNorm(c["DModel"], eps=c["LayerNormEps"]) if c["FinalNorm"] else None
    stack = nn.TransformerEncoder(layer, layers, norm=norm)
    # TransformerEncoder deep-copies one layer: re-draw every matrix (as nn.Transformer._reset_parameters
    # does) so that no two layers are equal and a wrong layer mapping cannot go unnoticed.
    for p in stack.parameters():
        if p.dim() > 1:
            nn.init.xavier_uniform_(p)
    return stack


class DecoderOnlyRef(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["VocabSize"], c["DModel"], padding_idx=PAD)
        self.decoder = encoder_stack(c, c["Layers"])
        self.lm_head = None if c["TieOutput"] else nn.Linear(c["DModel"], c["VocabSize"], bias=False)
        self.scale = c["ScaleEmbedding"]
        self.register_buffer("pe", sinusoids(c["MaxPositions"], c["DModel"]), persistent=False)

    def inputs(self, tokens):
        return embed(self.embed, tokens, self.scale, self.pe)

    def forward(self, tokens, padding=None):
        hidden = self.decoder(self.inputs(tokens), mask=causal_mask(tokens.size(1)), src_key_padding_mask=padding)
        weight = self.embed.weight if self.lm_head is None else self.lm_head.weight
        return F.linear(hidden, weight)


class EncoderClassifierRef(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["VocabSize"], c["DModel"], padding_idx=PAD)
        self.encoder = encoder_stack(c, c["Layers"])
        self.classifier = nn.Linear(c["DModel"], c["NumClasses"])
        self.scale = c["ScaleEmbedding"]
        self.register_buffer("pe", sinusoids(c["MaxPositions"], c["DModel"]), persistent=False)

    def inputs(self, tokens):
        return embed(self.embed, tokens, self.scale, self.pe)

    def forward(self, tokens):
        padding = tokens.eq(PAD)
        hidden = self.encoder(self.inputs(tokens), src_key_padding_mask=padding)
        keep = padding.logical_not().unsqueeze(-1).to(hidden.dtype)           # (B, T, 1)
        pooled = (hidden * keep).sum(1) / keep.sum(1).clamp_min(1)            # mean over non-padding
        return self.classifier(pooled)


class MlmHeadRef(nn.Module):
    """BERT's prediction head (BertLMPredictionHead): dense d->d, GELU (erf), LayerNorm, then the tied embedding
    (or its own output projection) plus a bias."""

    def __init__(self, c):
        super().__init__()
        d, vocab = c["DModel"], c["VocabSize"]
        self.dense = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d, eps=c["LayerNormEps"])
        self.bias = nn.Parameter(torch.zeros(vocab))
        self.output = None if c["TieOutput"] else nn.Linear(d, vocab, bias=False)

    def forward(self, hidden, embedding_weight):
        x = self.norm(F.gelu(self.dense(hidden)))
        return F.linear(x, embedding_weight if self.output is None else self.output.weight, self.bias)


class EncoderMlmRef(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["VocabSize"], c["DModel"], padding_idx=PAD)
        self.encoder = encoder_stack(c, c["Layers"])
        self.mlm_head = MlmHeadRef(c)
        self.scale = c["ScaleEmbedding"]
        self.register_buffer("pe", sinusoids(c["MaxPositions"], c["DModel"]), persistent=False)

    def inputs(self, tokens):
        return embed(self.embed, tokens, self.scale, self.pe)

    def forward(self, tokens):
        hidden = self.encoder(self.inputs(tokens), src_key_padding_mask=tokens.eq(PAD))
        return self.mlm_head(hidden, self.embed.weight)


# ---- inputs ---------------------------------------------------------------------------------------

def right_padded(lengths, width, vocab, generator):
    """(B, width) ids in 1..vocab-1 for the first lengths[b] positions, PAD after."""
    ids = torch.randint(1, vocab, (len(lengths), width), generator=generator)
    for b, n in enumerate(lengths):
        ids[b, n:] = PAD
    return ids


def perturb(model, generator, embeddings):
    """Gives every vector parameter (biases, LayerNorm gains and shifts, which start at 0 or 1) random
    values, so that swapped norms or biases change the result; embeddings get N(0, std) with the pad row
    kept at zero."""
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 1:
                p.add_(0.1 * torch.randn(p.shape, generator=generator))
        for embedding, std in embeddings:
            embedding.weight.normal_(0.0, std, generator=generator)
            embedding.weight[PAD].zero_()


# ---- cases ------------------------------------------------------------------------------------------

COMMON = dict(DModel=32, Heads=4, DFeedForward=64, Dropout=0.0, AttentionDropout=0.0, LayerNormEps=1e-5,
              Positional="Sinusoidal", MaxPositions=16, PadIndex=PAD, Activation="Relu")


def encoder_decoder_case(norm_first, tie):
    c = dict(COMMON, SourceVocabSize=23, TargetVocabSize=29, EncoderLayers=2, DecoderLayers=2,
             NormFirst=norm_first, FinalNorm=True, ScaleEmbedding=True, TieOutput=tie, ShareEmbeddings=False)
    g = torch.Generator().manual_seed(SEED + 1)
    model = EncoderDecoderRef(c)
    perturb(model, g, [(model.src_embed, c["DModel"] ** -0.5), (model.tgt_embed, c["DModel"] ** -0.5)])
    source = right_padded([7, 5, 3], 7, c["SourceVocabSize"], g)
    target = right_padded([6, 4, 2], 6, c["TargetVocabSize"], g)
    labels = right_padded([6, 4, 2], 6, c["TargetVocabSize"], g)
    logits, memory = model(source, target)
    direct = model.check_against_nn_transformer(source, target)
    assert torch.allclose(direct, logits, atol=1e-6, rtol=0), (direct - logits).abs().max()
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=PAD)
    inputs = {"source": source, "target": target, "labels": labels}
    return "EncoderDecoder", c, model, inputs, logits, loss, {"memory": memory}


def decoder_only_case(tie, padded):
    c = dict(COMMON, VocabSize=31, Layers=3, NormFirst=True, FinalNorm=True, ScaleEmbedding=False, TieOutput=tie)
    g = torch.Generator().manual_seed(SEED + 2)
    model = DecoderOnlyRef(c)
    perturb(model, g, [(model.embed, 0.5)])
    lengths = [7, 5, 2] if padded else [7, 7, 7]
    tokens = right_padded(lengths, 7, c["VocabSize"], g)
    labels = right_padded(lengths, 7, c["VocabSize"], g)
    padding = tokens.eq(PAD) if padded else None
    logits = model(tokens, padding)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=PAD)
    inputs = {"tokens": tokens, "labels": labels}
    if padded:
        inputs["padding"] = padding
    return "DecoderOnly", c, model, inputs, logits, loss, {}


def classifier_case(norm_first, activation):
    c = dict(COMMON, VocabSize=19, NumClasses=5, Layers=2, NormFirst=norm_first, FinalNorm=norm_first,
             ScaleEmbedding=True, Pooling="Mean", Activation=activation)
    g = torch.Generator().manual_seed(SEED + 3)
    model = EncoderClassifierRef(c)
    perturb(model, g, [(model.embed, c["DModel"] ** -0.5)])
    tokens = right_padded([6, 3, 1, 5], 6, c["VocabSize"], g)
    labels = torch.tensor([3, 0, 4, 1])
    logits = model(tokens)
    loss = F.cross_entropy(logits, labels)
    return "EncoderClassifier", c, model, {"tokens": tokens, "labels": labels}, logits, loss, {}


def mlm_case(norm_first, tie):
    c = dict(COMMON, VocabSize=27, Layers=2, NormFirst=norm_first, FinalNorm=norm_first, ScaleEmbedding=True,
             TieOutput=tie, Activation="Gelu")
    g = torch.Generator().manual_seed(SEED + 4)
    model = EncoderMlmRef(c)
    perturb(model, g, [(model.embed, c["DModel"] ** -0.5)])
    tokens = right_padded([7, 4, 6], 7, c["VocabSize"], g)
    # Labels at a few real positions (the chosen ones), -100 (ignored) everywhere else, padding included.
    labels = torch.full_like(tokens, -100)
    for b, positions in enumerate([[0, 3, 6], [1], [2, 5]]):
        for p in positions:
            labels[b, p] = int(torch.randint(1, c["VocabSize"], (1,), generator=g))
    logits = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=-100)
    return "EncoderMlm", c, model, {"tokens": tokens, "labels": labels}, logits, loss, {}


CASES = {
    "encoder_decoder_post_ln": lambda: encoder_decoder_case(norm_first=False, tie=False),
    "encoder_decoder_pre_ln": lambda: encoder_decoder_case(norm_first=True, tie=False),
    "encoder_decoder_post_ln_tied": lambda: encoder_decoder_case(norm_first=False, tie=True),
    "decoder_only": lambda: decoder_only_case(tie=True, padded=False),
    "decoder_only_padded_untied": lambda: decoder_only_case(tie=False, padded=True),
    "encoder_classifier_post_ln": lambda: classifier_case(norm_first=False, activation="Relu"),
    "encoder_classifier_pre_ln_gelu": lambda: classifier_case(norm_first=True, activation="Gelu"),
    "encoder_mlm_post_ln_tied": lambda: mlm_case(norm_first=False, tie=True),
    "encoder_mlm_pre_ln_untied": lambda: mlm_case(norm_first=True, tie=False),
}


def make(name, out_dir):
    torch.manual_seed(SEED)
    kind, config, model, inputs, logits, loss, extra = CASES[name]()
    # Modules start in train mode and the case ran its forward that way: no eval fast path was taken.
    assert all(m.training for m in model.modules())
    loss.backward()
    tensors = {}
    state = model.state_dict()
    named = dict(model.named_parameters())
    assert set(state) == set(named), (set(state) ^ set(named))
    for pname, p in named.items():
        tensors["param." + pname] = p.detach().clone()
    for pname, p in named.items():
        grad = p.grad if p.grad is not None else torch.zeros_like(p)
        tensors["grad." + pname] = grad.detach().clone()
    for iname, t in inputs.items():
        tensors["input." + iname] = t
    tensors["output.logits"] = logits.detach()
    tensors["output.loss"] = loss.detach()
    for oname, t in extra.items():
        tensors["output." + oname] = t.detach()
    metadata = {
        "case": name,
        "kind": kind,
        "config": json.dumps(config),
        "parameter_count": str(sum(p.numel() for p in model.parameters())),
        "loss": repr(loss.item()),
        "torch_version": torch.__version__,
    }
    path = os.path.join(out_dir, name + ".safetensors")
    safetensors_io.save(path, tensors, metadata)
    torch.save(model.state_dict(), os.path.join(out_dir, name + ".pt"))
    safetensors_io.save(os.path.join(out_dir, name + ".state.safetensors"), dict(model.state_dict()))
    print(f"{name}: {kind}, {metadata['parameter_count']} parameters, loss {loss.item():.6f} -> {path}")


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    out_dir = argv[1]
    names = argv[2:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: {list(CASES)}")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)  # deterministic reductions, and the test machine is small
    for n in names:
        make(n, out_dir)


if __name__ == "__main__":
    main(sys.argv)
