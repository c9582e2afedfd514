"""Training throughput of the models of Transformer.Bench `train`, written as a PyTorch user would:
torch.nn modules, AdamW, clip_grad_norm_, LambdaLR warm-up, cross entropy with label smoothing 0.1,
dropout 0.1, loss.item() each step for logging. Random batches of a fixed shape (ids 1..V-1).

usage: train_step.py tiny|small|base [STEPS] [WARMUP]
Prints {"pytorch_tokens_per_s", "step_ms", "peak_rss_mb"}: the median step over STEPS timed steps."""
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("TRANSFORMER_NUM_THREADS", "1")))
SIZES = {
    # name: (kind, d_model, heads, d_ff, layers, vocab, rows, length, default steps)
    "tiny": ("decoder_only", 128, 4, 512, 4, 65, 12, 64, 200),
    "small": ("encoder_decoder", 256, 4, 1024, 3, 8000, 32, 64, 30),
    "base": ("encoder_decoder", 512, 8, 2048, 6, 8000, 16, 64, 10),
}
name = sys.argv[1]
kind, d, heads, dff, layers, vocab, rows, length, steps = SIZES[name]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else steps
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 3
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
    step()
    if i >= warmup:
        times.append(time.perf_counter() - start)
times.sort()
median = times[len(times) // 2]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pytorch_tokens_per_s": rows * length / median, "step_ms": median * 1e3, "peak_rss_mb": peak,
                  "parameters": sum(p.numel() for p in model.parameters())}))
