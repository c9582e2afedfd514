"""Milliseconds per training step of the same MLP as Transformer.Bench `step`, in python3-torch."""
import json
import os
import statistics
import time

import torch

torch.set_num_threads(int(os.environ.get("TRANSFORMER_NUM_THREADS", "1")))
torch.manual_seed(0)
hidden = torch.nn.Linear(512, 2048)
output = torch.nn.Linear(2048, 512)
params = list(hidden.parameters()) + list(output.parameters())
optimizer = torch.optim.AdamW(params, lr=1e-3)
inputs = torch.randn(256, 512)
targets = torch.randn(256, 512)


def step():
    optimizer.zero_grad(set_to_none=True)
    loss = torch.nn.functional.mse_loss(output(torch.nn.functional.gelu(hidden(inputs))), targets)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optimizer.step()
    return loss.item()


for _ in range(5):
    step()
times = []
for _ in range(30):
    start = time.perf_counter()
    step()
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"intra_op_threads": torch.get_num_threads(), "step_ms": statistics.median(times)}))
