#!/usr/bin/python3
"""Loads weights into a PyTorch reference model and runs it (tests/Transformer.Tests/PyTorchInteropTests.cs).

    /usr/bin/python3 scripts/parity/reference_forward.py CASE WEIGHTS OUT [CASE WEIGHTS OUT ...]

Builds the reference model of a make_fixtures.py case (nn.Transformer / nn.TransformerEncoder, dropout 0, train mode)
and its inputs, loads WEIGHTS into it with load_state_dict(strict=True) — a .pt file through torch.load, a
.safetensors file through safetensors_io — and writes OUT (safetensors): output.logits, and output.memory for an
encoder-decoder. A missing, unexpected or misshapen tensor fails the load (exit 1, PyTorch's message on stderr).
Several triples are run in one process (importing torch is the slow part).
"""
import os
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures  # noqa: E402
import safetensors_io  # noqa: E402


def forward(case, weights, out):
    torch.manual_seed(make_fixtures.SEED)
    kind, _, model, inputs, _, _, _ = make_fixtures.CASES[case]()
    state = safetensors_io.load(weights)[0] if weights.endswith(".safetensors") else torch.load(weights)
    model.load_state_dict(state, strict=True)
    with torch.no_grad():
        if kind == "EncoderDecoder":
            logits, memory = model(inputs["source"], inputs["target"])
            outputs = {"output.logits": logits, "output.memory": memory}
        elif kind == "DecoderOnly":
            outputs = {"output.logits": model(inputs["tokens"], inputs.get("padding"))}
        else:
            outputs = {"output.logits": model(inputs["tokens"])}
    safetensors_io.save(out, outputs, {"case": case, "tensors": str(len(state))})
    print(f"{case}: loaded {len(state)} tensors from {weights} (strict) -> {out}")


def main(argv):
    if len(argv) < 4 or (len(argv) - 1) % 3 != 0:
        sys.exit(__doc__)
    torch.set_num_threads(1)
    for i in range(1, len(argv), 3):
        forward(*argv[i:i + 3])


if __name__ == "__main__":
    main(sys.argv)
