#!/usr/bin/env python3
"""PyTorch's own int8 post-training quantization of the same trained cnn (side by side with
`shinsou quantize`): loads RUN/model.safetensors (written by `shinsou train cnn`) into the same
network, calibrates torch.ao.quantization's observers on the same first N training images, and
reports test accuracy, state-dict size and the median time of one batch of 64, float32 and int8,
on 1 and 2 threads.

Debian's torch 1.13 ships the 'onednn' (x86) and 'qnnpack' engines, not fbgemm; onednn is the x86
one. Its default qconfig: per-channel symmetric int8 weights, uint8 activations with a
histogram observer (reduce_range off on onednn). Same normalisation as shinsou
(fashion_torch.load).

    /usr/bin/python3 scripts/quantize_torch.py runs/cnn [--calib 1000] [--engine onednn] [--json]
"""
import argparse
import io
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.ao.quantization as tq

sys.path.insert(0, os.path.dirname(__file__))
import fashion_torch  # noqa: E402
import torch_interop as ti  # noqa: E402


def net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
    )


class Quantizable(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.quant = tq.QuantStub()
        self.body = body
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))


def accuracy(model, x, y):
    correct = 0
    with torch.no_grad():
        for s in range(0, len(y), 500):
            correct += (model(x[s:s + 500]).argmax(1) == y[s:s + 500]).sum().item()
    return correct / len(y)


def median_ms(model, x, reps=15):
    with torch.no_grad():
        model(x)
        t = []
        for _ in range(reps):
            t0 = time.perf_counter()
            model(x)
            t.append(1000 * (time.perf_counter() - t0))
    return sorted(t)[reps // 2]


def size(model):
    b = io.BytesIO()
    torch.save(model.state_dict(), b)
    return b.tell()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--calib", type=int, default=1000)
    ap.add_argument("--engine", default="onednn")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    tensors, _ = ti.read_safetensors(os.path.join(a.run, "model.safetensors"))
    fp = net()
    fp.load_state_dict({k: v.clone() for k, v in tensors.items()})
    fp.eval()
    xtr, _ = fashion_torch.load("train", a.data_dir)
    xte, yte = fashion_torch.load("test", a.data_dir)
    torch.backends.quantized.engine = a.engine
    q = Quantizable(net())
    q.body.load_state_dict(fp.state_dict())
    q.eval()
    tq.fuse_modules(q.body, [["0", "1"], ["3", "4"], ["7", "8"]], inplace=True)
    q.qconfig = tq.get_default_qconfig(a.engine)
    tq.prepare(q, inplace=True)
    with torch.no_grad():
        for s in range(0, a.calib, 200):
            q(xtr[s:min(a.calib, s + 200)])
    tq.convert(q, inplace=True)
    out = {
        "engine": a.engine,
        "torch": torch.__version__,
        "floatAccuracy": accuracy(fp, xte, yte),
        "int8Accuracy": accuracy(q, xte, yte),
        "bytes": {"float32": size(fp), "int8": size(q)},
        "latencyMs": {},
    }
    x = xte[:64].contiguous()
    for t in (1, 2):
        torch.set_num_threads(t)
        out["latencyMs"][f"{t}"] = {"float32": median_ms(fp, x), "int8": median_ms(q, x)}
    if a.json:
        print(json.dumps(out))
        return
    print(f"PyTorch {torch.__version__} ({a.engine}): test accuracy float32 {100 * out['floatAccuracy']:.2f}%, int8 {100 * out['int8Accuracy']:.2f}%")
    print(f"size (torch.save): float32 {out['bytes']['float32']} bytes, int8 {out['bytes']['int8']} bytes")
    for t, v in out["latencyMs"].items():
        print(f"latency, batch 64, {t} thread(s): float32 {v['float32']:.2f} ms, int8 {v['int8']:.2f} ms ({v['float32'] / v['int8']:.2f}x)")


if __name__ == "__main__":
    main()
