#!/usr/bin/python3
"""Reference safetensors files for the C# reader/writer tests (tests/Transformer.Torch.Tests/SafetensorsTests.cs).

The `safetensors` package is not used: the format is written and parsed by hand (struct + json), so
this script is an independent second implementation.

    safetensors_ref.py write OUT.safetensors   writes EXPECTED (below) plus METADATA
    safetensors_ref.py check IN.safetensors    parses IN by hand and compares it bit-exactly with
                                               EXPECTED and METADATA; prints OK (exit 0) or every
                                               mismatch (exit 1)

The C# tests compute the same values independently from the same formulas; keep both in step.
"""
import json
import struct
import sys

import numpy as np

try:
    import torch
except ImportError as e:  # CI installs python3-torch; say so instead of a bare traceback.
    sys.exit(f"safetensors_ref.py needs PyTorch for bfloat16 (import torch failed: {e})")

METADATA = {"format": "pt", "source": "safetensors_ref.py", "unicode": "h\u00e9llo \u2713"}

DTYPE_SIZES = {"F64": 8, "I64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def _bits(values, dtype):
    """Raw little-endian bytes of the given bit patterns."""
    return np.array(values, dtype=dtype).tobytes()


def _bf16(values):
    """bfloat16 bytes, converted by torch (round to nearest even; the values are exact)."""
    t = torch.tensor(values, dtype=torch.float32).to(torch.bfloat16)
    return t.view(torch.int16).numpy().astype("<i2").tobytes()


def expected():
    """name -> (safetensors dtype, shape, raw little-endian bytes). Defined once; the C# tests mirror it."""
    i12 = np.arange(12)
    return {
        # (i - 5.5) * 0.25, i = 0..11: exact in float32
        "float32_matrix": ("F32", [3, 4], ((i12 - 5.5) * 0.25).astype("<f4").tobytes()),
        # 0, -0, inf, -inf, quiet NaN, smallest subnormal, largest finite
        "float32_special": ("F32", [7], _bits(
            [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00000001, 0x7F7FFFFF], "<u4")),
        # (i - 2) / 3, i = 0..5: IEEE division, correctly rounded on both sides
        "float64_values": ("F64", [2, 3], ((np.arange(6, dtype=np.float64) - 2) / 3).astype("<f8").tobytes()),
        # (i - 2.5) * 0.5, i = 0..5: exact in float16
        "float16_values": ("F16", [2, 3], ((np.arange(6) - 2.5) * 0.5).astype("<f2").tobytes()),
        # 0, -0, 1, -2, 65504 (max), smallest subnormal, inf, quiet NaN
        "float16_special": ("F16", [8], _bits([0x0000, 0x8000, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00], "<u2")),
        # (i - 4.5) * 0.5, i = 0..9: exact in bfloat16
        "bfloat16_values": ("BF16", [2, 5], _bf16([(i - 4.5) * 0.5 for i in range(10)])),
        # 0, -0, 1, inf, -inf, quiet NaN, smallest subnormal, largest finite
        "bfloat16_special": ("BF16", [8], _bits([0x0000, 0x8000, 0x3F80, 0x7F80, 0xFF80, 0x7FC0, 0x0001, 0x7F7F], "<u2")),
        "int64_extremes": ("I64", [8], _bits(
            [0, 1, -1, 2**53 + 1, -(2**53 + 1), 2**62 + 12345, 2**63 - 1, -(2**63)], "<i8")),
        # (i - 6) * 123456789, i = 0..11
        "int32_values": ("I32", [2, 3, 2], ((np.arange(12, dtype=np.int64) - 6) * 123456789).astype("<i4").tobytes()),
        "int16_values": ("I16", [7], _bits([-32768, -12345, -1, 0, 1, 12345, 32767], "<i2")),
        "int8_values": ("I8", [2, 2, 2], _bits([-128, -1, 0, 1, 2, 63, 126, 127], "<i1")),
        # (i * 17) % 256, i = 0..15
        "uint8_values": ("U8", [16], _bits([(i * 17) % 256 for i in range(16)], "<u1")),
        # i % 3 == 0, i = 0..5
        "bool_values": ("BOOL", [2, 3], _bits([i % 3 == 0 for i in range(6)], "?")),
        "scalar_float32": ("F32", [], _bits([-7.75], "<f4")),
        "empty_float32": ("F32", [3, 0, 2], b""),
    }


def write(path):
    tensors = expected()
    # The reference writer's layout: larger elements first, then by name; data contiguous.
    order = sorted(tensors, key=lambda n: (-DTYPE_SIZES[tensors[n][0]], n))
    header, data, offset = {"__metadata__": METADATA}, bytearray(), 0
    for name in order:
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"duplicate keys {dupes}")
    return dict(pairs)


def check(path):
    """Every mismatch between the file at path and EXPECTED/METADATA, as lines (empty when they agree)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        return [f"file is {len(blob)} bytes long"]
    (n,) = struct.unpack_from("<Q", blob, 0)
    if 8 + n > len(blob):
        return [f"header length {n} runs past the end of the {len(blob)}-byte file"]
    problems = []
    if (8 + n) % 8 != 0:
        problems.append(f"header length {n} is not padded to a multiple of 8")
    header = json.loads(blob[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    data = blob[8 + n:]

    metadata = header.pop("__metadata__", None)
    if metadata != METADATA:
        problems.append(f"__metadata__ is {metadata!r}, expected {METADATA!r}")

    want = expected()
    if set(header) != set(want):
        problems.append(f"tensor names {sorted(header)} differ from expected {sorted(want)}")

    # Contiguous coverage of the data section, and the reference writer's order.
    spans = sorted((e["data_offsets"][0], e["data_offsets"][1], name) for name, e in header.items())
    position = 0
    for begin, end, name in spans:
        if begin != position or end < begin:
            problems.append(f"'{name}' has data_offsets [{begin}, {end}], expected to begin at {position}")
        position = max(position, end)
    if position != len(data):
        problems.append(f"tensors cover {position} bytes of a {len(data)}-byte data section")
    if all(name in want for _, _, name in spans):
        file_order = [name for _, _, name in spans]
        if file_order != sorted(file_order, key=lambda m: (-DTYPE_SIZES[want[m][0]], m)):
            problems.append(f"data order {file_order} is not by element size descending, then name")

    for name, entry in header.items():
        if name not in want:
            continue
        dtype, shape, raw = want[name]
        if entry.get("dtype") != dtype:
            problems.append(f"'{name}' has dtype {entry.get('dtype')!r}, expected {dtype!r}")
        if entry.get("shape") != shape:
            problems.append(f"'{name}' has shape {entry.get('shape')!r}, expected {shape!r}")
        begin, end = entry["data_offsets"]
        got = data[begin:end]
        if got != raw:
            problems.append(f"'{name}' holds bytes {got.hex()}, expected {raw.hex()}")
    return problems


def main(argv):
    if len(argv) != 3 or argv[1] not in ("write", "check"):
        sys.exit("usage: safetensors_ref.py write OUT.safetensors | check IN.safetensors")
    if argv[1] == "write":
        write(argv[2])
        return 0
    try:
        problems = check(argv[2])
    except (ValueError, KeyError, TypeError, IndexError) as e:  # unparsable header or entry
        problems = [f"cannot parse {argv[2]}: {e!r}"]
    if problems:
        print("MISMATCH")
        for p in problems:
            print("  " + p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
