"""Self time per operator of a chrome://tracing file written by libtorch's profiler (Transformer.Bench with
TRANSFORMER_PROFILE=FILE): the operators that take the time, as PyTorch's profiler table shows them.
usage: trace_summary.py FILE [ROWS]"""
import collections
import json
import sys

events = [e for e in json.load(open(sys.argv[1])) if e.get("ph") == "X"]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 25
self_us, calls = collections.Counter(), collections.Counter()
by_thread = collections.defaultdict(list)
for e in events:
    by_thread[e["tid"]].append(e)
for thread in by_thread.values():
    thread.sort(key=lambda e: (e["ts"], -e["dur"]))
    stack = []
    for e in thread:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        if stack:
            self_us[stack[-1]["name"]] -= e["dur"]
        self_us[e["name"]] += e["dur"]
        calls[e["name"]] += 1
        stack.append(e)
total = sum(self_us.values())
print(f"{'operator':45s} {'self ms':>10s} {'%':>6s} {'calls':>7s}")
for name, us in self_us.most_common(rows):
    print(f"{name[:45]:45s} {us / 1e3:10.2f} {100 * us / total:6.1f} {calls[name]:7d}")
print(f"{'total':45s} {total / 1e3:10.2f}")
