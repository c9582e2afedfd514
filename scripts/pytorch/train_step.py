"""Training throughput of the models of Transformer.Bench `train`, written as a PyTorch user would:
torch.nn modules, AdamW, clip_grad_norm_, LambdaLR warm-up, cross entropy with label smoothing 0.1,
dropout 0.1, loss.item() each step for logging. Random batches of a fixed shape (ids 1..V-1).

usage: train_step.py tiny|small|base [--steps N] [--warmup N] [--threads N] [--losses]
Prints {"pytorch_tokens_per_s", "step_ms", "peak_rss_mb", "parameters"}: the median of the timed steps.
Intra-op threads: --threads, else TRANSFORMER_NUM_THREADS, else 1 (matmuls go to OpenBLAS: OPENBLAS_NUM_THREADS)."""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {
    # name: (kind, d_model, heads, d_ff, layers, vocab, rows, length, default steps)
    "tiny": ("decoder_only", 128, 4, 512, 4, 65, 12, 64, 200),
    "small": ("encoder_decoder", 256, 4, 1024, 3, 8000, 32, 64, 30),
    "base": ("encoder_decoder", 512, 8, 2048, 6, 8000, 16, 64, 10),
}
parser = argparse.ArgumentParser(description="Training tokens/s of one bench size with torch.nn.")
parser.add_argument("size", choices=SIZES)
parser.add_argument("--steps", type=int, help="timed steps (default: the size's)")
parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
parser.add_argument("--threads", type=int, default=int(os.environ.get("TRANSFORMER_NUM_THREADS", "1")))
parser.add_argument("--losses", action="store_true", help="every step's loss on stderr")
args = parser.parse_args()
kind, d, heads, dff, layers, vocab, rows, length, steps = SIZES[args.size]
steps = args.steps or steps
warmup = args.warmup
torch.set_num_threads(args.threads)
torch.manual_seed(0)


def sinusoids(positions, d):
    position = torch.arange(positions).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
    pe = torch.zeros(positions, d)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return pe


class GPT(nn.Module):
    """nanoGPT's shape from torch.nn: learned positions, pre-LN GELU blocks, final LayerNorm, tied output."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(vocab, d)
        self.positions = nn.Embedding(length, d)
        self.dropout = nn.Dropout(0.1)
        layer = nn.TransformerEncoderLayer(d, heads, dff, 0.1, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d), enable_nested_tensor=False)
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(length), persistent=False)
        # GPT-2's N(0, 0.02), as nanoGPT and the framework: N(0, 1) through the tied output starts at a loss near 70.
        nn.init.normal_(self.tokens.weight, std=0.02)
        nn.init.normal_(self.positions.weight, std=0.02)

    def forward(self, x):
        h = self.dropout(self.tokens(x) + self.positions(torch.arange(x.size(1))))
        return F.linear(self.blocks(h, mask=self.causal[: x.size(1), : x.size(1)]), self.tokens.weight)


class Seq2Seq(nn.Module):
    """nn.Transformer with shared embeddings scaled by sqrt(d), sinusoidal positions and a tied output."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.transformer = nn.Transformer(d, heads, layers, layers, dff, dropout=0.1, batch_first=True)
        self.register_buffer("pe", sinusoids(1024, d), persistent=False)
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(length), persistent=False)
        self.dropout = nn.Dropout(0.1)
        # N(0, d^-1/2): unit variance after the sqrt(d) scale, as the framework (N(0, 1) would start near loss 100).
        nn.init.normal_(self.embed.weight, std=d ** -0.5)
        with torch.no_grad():
            self.embed.weight[0].zero_()

    def embed_tokens(self, tokens):
        return self.dropout(self.embed(tokens) * math.sqrt(d) + self.pe[: tokens.size(1)])

    def forward(self, src, tgt):
        src_pad, tgt_pad = src.eq(0), tgt.eq(0)
        h = self.transformer(self.embed_tokens(src), self.embed_tokens(tgt), tgt_mask=self.causal[: tgt.size(1), : tgt.size(1)],
                             src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        return F.linear(h, self.embed.weight)


model = (GPT() if kind == "decoder_only" else Seq2Seq()).train()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98), weight_decay=0.01)
schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / 100))


def batch():
    if kind == "decoder_only":
        window = torch.randint(1, vocab, (rows, length + 1))
        return (window[:, :-1].contiguous(),), window[:, 1:].contiguous()
    return (torch.randint(1, vocab, (rows, length)), torch.randint(1, vocab, (rows, length))), torch.randint(1, vocab, (rows, length))


def step():
    inputs, target = batch()
    logits = model(*inputs)
    loss = F.cross_entropy(logits.view(-1, vocab), target.view(-1), ignore_index=0, label_smoothing=0.1)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.item()


times = []
for i in range(warmup + steps):
    start = time.perf_counter()
    loss = step()
    if args.losses:
        print(f"step {i + 1} loss {loss:.4f}", file=sys.stderr)
    if i >= warmup:
        times.append(time.perf_counter() - start)
times.sort()
median = times[len(times) // 2]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pytorch_tokens_per_s": rows * length / median, "step_ms": median * 1e3, "peak_rss_mb": peak,
                  "parameters": sum(p.numel() for p in model.parameters())}))
