#!/usr/bin/env python3
"""safetensors interoperability between PyTorch and shinsou, in both directions.

Run with Debian's system interpreter (it has python3-torch; the `safetensors` package is not
installed, so the file layout is written and read here by hand with struct + json):

    /usr/bin/python3 scripts/torch_interop.py          # save the torch fixture, then check shinsou's file
    /usr/bin/python3 scripts/torch_interop.py save     # only write fixtures/interop/torch_mlp.*
    /usr/bin/python3 scripts/torch_interop.py check    # only check fixtures/interop/shinsou_mlp.*

save:  nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)) with seed 0 -> torch_mlp.safetensors, and
       torch_mlp.json with an input batch and torch's output (test/safetensors.test.ts loads the
       file into a shinsou Sequential by name and matches the output).
check: loads shinsou_mlp.safetensors (written by shinsou's saveFile; the test suite asserts the
       committed bytes are exactly what shinsou writes) into the same torch module with
       load_state_dict(strict=True), runs shinsou_mlp.json's input and compares with the output
       shinsou computed. Exits non-zero on any mismatch.
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "interop")

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.bool: "BOOL"}
FROM = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "BOOL": torch.bool, "I64": torch.int64}


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout: u64 little-endian header length, JSON header, raw little-endian data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n :]
    tensors = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        dtype = FROM[e["dtype"]]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=dtype) if end > b else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(e["shape"])
    return tensors, metadata


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


def save():
    torch.manual_seed(0)
    model = make_model()
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "torch_mlp.safetensors"), model.state_dict(), {"format": "pt", "source": "scripts/torch_interop.py"})
    with open(os.path.join(OUT, "torch_mlp.json"), "w") as f:
        json.dump({"torch": torch.__version__, "input": x.tolist(), "output": y.tolist()}, f)
    print("wrote fixtures/interop/torch_mlp.safetensors and torch_mlp.json")


def check():
    tensors, metadata = read_safetensors(os.path.join(OUT, "shinsou_mlp.safetensors"))
    with open(os.path.join(OUT, "shinsou_mlp.json")) as f:
        expected = json.load(f)
    model = make_model()
    model.load_state_dict(tensors, strict=True)
    x = torch.tensor(expected["input"], dtype=torch.float32)
    with torch.no_grad():
        y = model(x)
    want = torch.tensor(expected["output"], dtype=torch.float32)
    err = (y - want).abs().max().item()
    ok = err <= 1e-5
    print(f"shinsou_mlp.safetensors: keys {sorted(tensors)}, metadata {metadata}")
    print(f"torch output vs shinsou output: max abs difference {err:.3g} -> {'OK' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("save", "all"):
        save()
    if what in ("check", "all") and os.path.exists(os.path.join(OUT, "shinsou_mlp.safetensors")):
        check()
    elif what == "check":
        sys.exit("fixtures/interop/shinsou_mlp.safetensors is missing: run SHINSOU_WRITE_FIXTURES=1 node scripts/run-tests.mjs safetensors")
