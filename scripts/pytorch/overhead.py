"""Per-op cost in python3-torch: a 1-element add, as `c = a + b` (the reference for bench.sh overhead)."""
import json
import sys
import time

import torch

iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
a = torch.tensor([1.0])
b = torch.tensor([2.0])
for _ in range(200_000):
    c = a + b
start = time.perf_counter()
for _ in range(iterations):
    c = a + b
print(json.dumps({"python_us": (time.perf_counter() - start) / iterations * 1e6}))
