#!/usr/bin/env python3
"""The `shinsou train resnet20` recipe in PyTorch: the ResNet-20 anchor of docs/cnn.md.

    /usr/bin/python3 scripts/resnet_torch.py [--epochs 30] [--threads 1] [--limit N] [--test-limit N] [--data-dir DIR]

Same network (He et al. 2016 CIFAR ResNet-20: 3x3 stem of 16, three stages of three basic blocks at
16/32/64 channels, option A shortcuts: subsample by 2 and append zero channels; a 1-channel input;
convolutions He-normal fan_out, batch norms 1/0, torch's default linear init, as shinsou's
ResNet), same data pipeline (each batch: random 28 x 28 crop of the image zero-padded by 2,
horizontal flip with probability 0.5, normalisation (x - 0.286) / 0.353, random erasing with
probability 0.5, scale [0.02, 0.33], ratio [0.3, 3.3], value 0, as torchvision's RandomErasing),
same optimiser (SGD lr 0.1, momentum 0.9, weight decay 1e-4, batch 128) and schedule (cosine from
lr to 0 over the run, stepped per epoch). Data: the IDX files as scripts/fashion_torch.py finds
them. Prints seconds per epoch (training only) and the test accuracy after every epoch.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_torch import find, read_idx  # noqa: E402

MEAN, STD = 0.286, 0.353


class ShortcutA(nn.Module):
    """Option A: every second pixel, zero channels appended."""

    def __init__(self, extra):
        super().__init__()
        self.extra = extra

    def forward(self, x):
        y = x[:, :, ::2, ::2]
        return torch.cat([y, y.new_zeros(y.shape[0], self.extra, y.shape[2], y.shape[3])], 1)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = ShortcutA(cout - cin) if stride != 1 or cin != cout else None

    def forward(self, x):
        identity = self.downsample(x) if self.downsample is not None else x
        f = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(f + identity)


class ResNet20(nn.Module):
    def __init__(self, depth=20, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for i, w in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(BasicBlock(cin, w, 2 if b == 0 and i > 0 else 1))
                cin = w
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.layer3(self.layer2(self.layer1(h)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


def augment(x, gen):
    """Crop (pad 2), flip, normalise, erase: each image draws its own parameters."""
    n, _, h, w = x.shape
    padded = F.pad(x, (2, 2, 2, 2))
    out = torch.empty_like(x)
    tops = torch.randint(0, 5, (n,), generator=gen)
    lefts = torch.randint(0, 5, (n,), generator=gen)
    flips = torch.rand(n, generator=gen) < 0.5
    for i in range(n):
        img = padded[i, :, tops[i] : tops[i] + h, lefts[i] : lefts[i] + w]
        out[i] = img.flip(-1) if flips[i] else img
    out = (out - MEAN) / STD
    log_ratio = (np.log(0.3), np.log(3.3))
    for i in range(n):
        if torch.rand(1, generator=gen).item() >= 0.5:
            continue
        for _ in range(10):
            area = h * w * (0.02 + (0.33 - 0.02) * torch.rand(1, generator=gen).item())
            r = float(np.exp(log_ratio[0] + (log_ratio[1] - log_ratio[0]) * torch.rand(1, generator=gen).item()))
            eh, ew = int(round((area * r) ** 0.5)), int(round((area / r) ** 0.5))
            if eh < 1 or ew < 1 or eh > h or ew > w:
                continue
            top = int(torch.randint(0, h - eh + 1, (1,), generator=gen))
            left = int(torch.randint(0, w - ew + 1, (1,), generator=gen))
            out[i, :, top : top + eh, left : left + ew] = 0
            break
    return out


def load(split, data_dir, limit):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(find(f"{prefix}-images-idx3-ubyte", data_dir)).astype(np.float32) / 255.0
    y = read_idx(find(f"{prefix}-labels-idx1-ubyte", data_dir)).astype(np.int64)
    if limit:
        x, y = x[:limit], y[:limit]
    return torch.from_numpy(x.copy()).reshape(-1, 1, 28, 28), torch.from_numpy(y.copy())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--test-limit", type=int, default=0)
    ap.add_argument("--data-dir")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    xtr, ytr = load("train", a.data_dir, a.limit)
    xte, yte = load("test", a.data_dir, a.test_limit)
    xte = (xte - MEAN) / STD
    model = ResNet20()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs)
    params = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, ResNet-20 option A, {params} parameters, {len(xtr)} train / {len(xte)} test")
    times = []
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        t0 = time.perf_counter()
        total, correct, loss_sum = 0, 0, 0.0
        for i in range(0, len(xtr), a.batch_size):
            idx = perm[i : i + a.batch_size]
            x, y = augment(xtr[idx], gen), ytr[idx]
            out = model(x)
            loss = F.cross_entropy(out, y)
            opt.zero_grad()
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
            outs = [model(xte[j : j + 500]) for j in range(0, len(xte), 500)]
            out = torch.cat(outs)
            test_loss = F.cross_entropy(out, yte).item()
            test_acc = (out.argmax(1) == yte).float().mean().item()
        print(
            f"epoch {epoch + 1}/{a.epochs}: train loss {loss_sum / total:.4f} acc {correct / total:.4f} | "
            f"test loss {test_loss:.4f} acc {test_acc:.4f} | {dt:.1f} s ({total / dt:.0f} ex/s)",
            flush=True,
        )
    print(f"mean {np.mean(times):.2f} s per epoch (median {np.median(times):.2f}); final test accuracy {test_acc:.4f}")


if __name__ == "__main__":
    main()
