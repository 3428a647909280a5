#!/usr/bin/env python3
"""The `shinsou train mlp` and `shinsou train cnn` recipes in PyTorch, as a speed and accuracy
reference on this machine.

    /usr/bin/python3 scripts/fashion_torch.py [--recipe mlp|cnn] [--epochs N] [--threads 2] [--data-dir DIR]

Same models (mlp: 784-256-128-10, ReLU, batch 128, 12 epochs; cnn: conv3x3(16)-pool-conv3x3(32)-pool-
128-10, ReLU, batch 64, 8 epochs; torch's default init), Adam lr 1e-3, cosine decay
stepped per epoch, the same input normalization ((x/255 - 0.2860) / 0.3530). Data: the IDX files
in $SHINSOU_DATA/fashion-mnist, ~/.cache/shinsou/fashion-mnist or Debian's dataset-fashion-mnist.
Prints seconds per epoch (training only, like shinsou's epoch lines) and the test accuracy.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    _, _, code, ndim = struct.unpack(">BBBB", raw[:4])
    assert code == 0x08, f"{path}: expected uint8 data"
    shape = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(name, data_dir):
    dirs = [os.path.join(d, "fashion-mnist") for d in [data_dir, os.environ.get("SHINSOU_DATA"), os.path.expanduser("~/.cache/shinsou")] if d]
    dirs.append("/usr/share/datasets/fashion-mnist")
    for d in dirs:
        for n in (name, name + ".gz"):
            if os.path.exists(os.path.join(d, n)):
                return os.path.join(d, n)
    raise SystemExit(f"{name} not found in {dirs}: apt-get install dataset-fashion-mnist")


def load(split, data_dir, normalize=True):
    """Images [N, 1, 28, 28] in [0, 1] (standardised with the training set's mean and std unless normalize=False) and labels."""
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(find(f"{prefix}-images-idx3-ubyte", data_dir)).astype(np.float32) / 255.0
    y = read_idx(find(f"{prefix}-labels-idx1-ubyte", data_dir)).astype(np.int64)
    if normalize:
        x = (x - 0.2860) / 0.3530
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipe", choices=["mlp", "cnn"], default="mlp")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir")
    a = ap.parse_args()
    cnn = a.recipe == "cnn"
    a.epochs = a.epochs or (8 if cnn else 12)
    a.batch_size = a.batch_size or (64 if cnn else 128)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load("train", a.data_dir)
    xte, yte = load("test", a.data_dir)
    nn = torch.nn
    if cnn:
        model = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
        )
    else:
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs)
    loss_fn = torch.nn.CrossEntropyLoss()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(xtr)} train / {len(xte)} test")
    times = []
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        t0 = time.perf_counter()
        total, correct, loss_sum = 0, 0, 0.0
        for i in range(0, len(xtr), a.batch_size):
            idx = perm[i : i + a.batch_size]
            x, y = xtr[idx], ytr[idx]
            opt.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
        dt = time.perf_counter() - t0
        times.append(dt)
        sched.step()
        model.eval()
        with torch.no_grad():
            out = model(xte)
            test_loss = loss_fn(out, yte).item()
            test_acc = (out.argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch + 1}/{a.epochs}: train loss {loss_sum / total:.4f} acc {correct / total:.4f} | test loss {test_loss:.4f} acc {test_acc:.4f} | {dt:.1f} s ({len(xtr) / dt:.0f} ex/s)")
    print(f"mean {np.mean(times):.2f} s per epoch (median {np.median(times):.2f}); final test accuracy {test_acc:.4f}")


if __name__ == "__main__":
    main()
