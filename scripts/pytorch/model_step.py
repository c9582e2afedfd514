"""Forward + backward of torch.nn.Transformer in the configuration of Transformer.Bench `model`:
embeddings (shared, scaled by sqrt(d)), sinusoidal positions, d_model 512, 6+6 layers, 8 heads,
d_ff 2048, dropout 0.1, batch 16 x 64, vocabulary 8,000, tied output, label smoothing 0.1."""
import json
import math
import os
import resource
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("TRANSFORMER_NUM_THREADS", "1")))
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
batch, length, vocab, d = 16, 64, 8000, 512
torch.manual_seed(0)


class Seq2Seq(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, d, padding_idx=0)
        self.transformer = torch.nn.Transformer(d, 8, 6, 6, 2048, dropout=0.1, batch_first=True)
        position = torch.arange(1024).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(1024, d)
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe, persistent=False)
        self.dropout = torch.nn.Dropout(0.1)

    def embed_tokens(self, tokens):
        return self.dropout(self.embed(tokens) * math.sqrt(d) + self.pe[: tokens.size(1)])

    def forward(self, src, tgt):
        causal = self.transformer.generate_square_subsequent_mask(tgt.size(1))
        src_pad, tgt_pad = src.eq(0), tgt.eq(0)
        h = self.transformer(self.embed_tokens(src), self.embed_tokens(tgt), tgt_mask=causal,
                             src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad,
                             memory_key_padding_mask=src_pad)
        return torch.nn.functional.linear(h, self.embed.weight)


model = Seq2Seq().train()
src = torch.randint(1, vocab, (batch, length))
tgt = torch.randint(1, vocab, (batch, length))
labels = torch.randint(1, vocab, (batch * length,))


def step():
    model.zero_grad(set_to_none=True)
    loss = torch.nn.functional.cross_entropy(model(src, tgt).view(-1, vocab), labels, label_smoothing=0.1)
    loss.backward()


step()
times = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
times.sort()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pytorch_tokens_per_s": batch * length / times[steps // 2], "peak_rss_mb": peak}))
