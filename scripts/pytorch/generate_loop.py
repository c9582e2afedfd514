"""Greedy decoding of 256 new tokens as a PyTorch user writes it without a cache: the whole prefix goes
through the model every step. Same model shape as Transformer.Bench `generate` (decoder-only, d_model 256,
4 layers, 4 heads, d_ff 1024, vocabulary 8,000, learned positions, pre-LN), batch 1 and 8."""
import json
import os
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("TRANSFORMER_NUM_THREADS", "1")))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
NEW, PROMPT, VOCAB, D = 256, 16, 8000, 256
torch.manual_seed(0)


class LM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, D)
        self.pos = torch.nn.Embedding(512, D)
        layer = torch.nn.TransformerEncoderLayer(D, 4, 1024, dropout=0.0, batch_first=True, norm_first=True)
        self.body = torch.nn.TransformerEncoder(layer, 4, norm=torch.nn.LayerNorm(D))

    def forward(self, tokens):
        t = tokens.size(1)
        mask = torch.triu(torch.full((t, t), float("-inf")), 1)
        h = self.body(self.embed(tokens) + self.pos(torch.arange(t)), mask=mask)
        return torch.nn.functional.linear(h, self.embed.weight)


model = LM().eval()


def decode(batch):
    tokens = torch.tensor([[3 + (b * 31 + i * 7) % (VOCAB - 3) for i in range(PROMPT)] for b in range(batch)])
    with torch.no_grad():
        for _ in range(NEW):
            nxt = model(tokens)[:, -1].argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, nxt], 1)
    return tokens


results = {}
for batch in (1, 8):
    decode(batch)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        decode(batch)
        times.append(time.perf_counter() - start)
    times.sort()
    results[f"batch{batch}_pytorch_tokens_per_s"] = NEW * batch / times[runs // 2]
    print(f"batch {batch}, PyTorch loop: {results[f'batch{batch}_pytorch_tokens_per_s']:.1f} tokens/s", file=sys.stderr)
print(json.dumps(results))
