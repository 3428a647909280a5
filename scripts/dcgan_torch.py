#!/usr/bin/env python3
"""The `shinsou train dcgan` (and `gan`) recipes in PyTorch: the reference for sample quality and speed.

    /usr/bin/python3 scripts/dcgan_torch.py [--arch dcgan|fc] [--epochs 5] [--threads 1] [--out DIR]

Same networks as src/models/gan/models.ts (the same module keys: net.0.weight, ...), the same
init (weights ~ N(0, 0.02), BatchNorm scales ~ N(1, 0.02)), the same data (Fashion-MNIST train
images scaled to [-1, 1], shuffled each epoch, batch 64, last batch kept), the same step (one D
update on a real and a generated batch, then one G update with the non-saturating or minimax
loss through the updated D), Adam lr 2e-4, betas (0.5, 0.999) for both networks. Random streams
differ (torch's generator is not ours), so runs agree in distribution, not bit for bit.

Writes into --out: generator.safetensors (G's state dict, loadable by shinsou's GanGenerator),
samples.safetensors (--count images of G in eval mode, key 'samples', [N, 1, 28, 28] in [-1, 1]),
samples-epochNN.png (a grid of one fixed noise batch per epoch) and metrics.json (per-epoch
losses and seconds). `shinsou gan-eval --samples DIR/samples.safetensors` then measures the
Frechet distance and class coverage with shinsou's classifier features, the same extractor as
for shinsou's own generator.
"""
import argparse
import json
import os
import struct
import time

import numpy as np
import torch
import torchvision.utils as vutils

from fashion_torch import load as load_fashion  # noqa: E402  (same folder: the shared IDX reader)

nn = torch.nn


def build(arch, latent, f, slope=0.2):
    if arch == "fc":
        g = nn.Sequential(
            nn.Linear(latent, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 512), nn.BatchNorm1d(512), nn.ReLU(),
            nn.Linear(512, 784), nn.Tanh(),
        )
        d = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(slope), nn.Linear(512, 256), nn.LeakyReLU(slope), nn.Linear(256, 1))
    else:
        g = nn.Sequential(
            nn.ConvTranspose2d(latent, 2 * f, 7, bias=False), nn.BatchNorm2d(2 * f), nn.ReLU(),
            nn.ConvTranspose2d(2 * f, f, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(f), nn.ReLU(),
            nn.ConvTranspose2d(f, 1, 4, stride=2, padding=1), nn.Tanh(),
        )
        d = nn.Sequential(
            nn.Conv2d(1, f, 4, stride=2, padding=1), nn.LeakyReLU(slope),
            nn.Conv2d(f, 2 * f, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(2 * f), nn.LeakyReLU(slope),
            nn.Conv2d(2 * f, 1, 7),
        )
    for net in (g, d):
        for m in net:
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                nn.init.normal_(m.weight, 0.0, 0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.zeros_(m.bias)
    return g, d


class Wrap(nn.Module):
    """Keys 'net.*' as shinsou's GanGenerator / GanDiscriminator; reshapes in and out like them."""

    def __init__(self, net, arch, latent, role):
        super().__init__()
        self.net, self.arch, self.latent, self.role = net, arch, latent, role

    def forward(self, x):
        n = x.shape[0]
        if self.role == "g":
            return self.net(x if self.arch == "fc" else x.reshape(n, self.latent, 1, 1)).reshape(n, 1, 28, 28)
        return self.net(x.reshape(n, 784) if self.arch == "fc" else x).reshape(n)


def save_safetensors(path, tensors, metadata):
    """The safetensors layout (8-byte little-endian header size, JSON header, raw little-endian data)."""
    header, blobs, at = {"__metadata__": metadata}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype = {torch.float32: "F32", torch.int64: "I64", torch.int32: "I32"}[t.dtype]
        raw = t.numpy().tobytes()
        header[k] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw)
        at += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, path)


def write_outputs(a, g, epochs, started):
    meta = {"format": "pt", "recipe": "dcgan" if a.arch == "dcgan" else "gan", "architecture": a.arch, "latent": str(a.latent), "features": str(a.features), "source": "scripts/dcgan_torch.py", "epochs": str(len(epochs))}
    save_safetensors(os.path.join(a.out, "generator.safetensors"), g.state_dict(), meta)
    g.eval()
    with torch.no_grad():
        gen = torch.Generator().manual_seed(a.seed + 2)
        samples = torch.cat([g(torch.randn(min(1000, a.count - i), a.latent, generator=gen)) for i in range(0, a.count, 1000)])
    save_safetensors(os.path.join(a.out, "samples.safetensors"), {"samples": samples}, meta)
    doc = {"options": vars(a), "torch": torch.__version__, "epochs": epochs, "wallSeconds": time.time() - started}
    tmp = os.path.join(a.out, "metrics.json.tmp")
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
    os.replace(tmp, os.path.join(a.out, "metrics.json"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=["dcgan", "fc"], default="dcgan")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--latent", type=int, default=64)
    ap.add_argument("--features", type=int, default=32)
    ap.add_argument("--loss", choices=["non-saturating", "minimax"], default="non-saturating")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="first n training images (0: all)")
    ap.add_argument("--count", type=int, default=10000, help="samples written for gan-eval")
    ap.add_argument("--out", default="runs/dcgan-torch")
    ap.add_argument("--data-dir")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    x, _ = load_fashion("train", a.data_dir)
    x = x * 0.3530 + 0.2860  # undo fashion_torch's normalization: back to [0, 1]
    x = x * 2 - 1  # G's range [-1, 1]
    if a.limit:
        x = x[: a.limit]
    gnet, dnet = build(a.arch, a.latent, a.features)
    g, d = Wrap(gnet, a.arch, a.latent, "g"), Wrap(dnet, a.arch, a.latent, "d")
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(0.5, 0.999))
    softplus = torch.nn.functional.softplus
    fixed = torch.randn(64, a.latent, generator=torch.Generator().manual_seed(a.seed + 1))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=a.batch_size, shuffle=True)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(x)} images, {len(loader)} steps per epoch")
    epochs = []
    started = time.time()
    for epoch in range(a.epochs):
        t0 = time.time()
        sums = {"lossD": 0.0, "lossG": 0.0, "dReal": 0.0, "dFake": 0.0}
        n = 0
        g.train()
        d.train()
        for (real,) in loader:
            k = real.shape[0]
            fake = g(torch.randn(k, a.latent))
            lr_, lf = d(real), d(fake.detach())
            # -E_x[log D(x)] - E_z[log(1 - D(G(z)))]
            loss_d = softplus(-lr_).mean() + softplus(lf).mean()
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            lg = d(fake)
            # non-saturating: -E_z[log D(G(z))]; minimax: E_z[log(1 - D(G(z)))]
            loss_g = softplus(-lg).mean() if a.loss == "non-saturating" else -softplus(lg).mean()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            sums["lossD"] += loss_d.item() * k
            sums["lossG"] += loss_g.item() * k
            sums["dReal"] += torch.sigmoid(lr_).mean().item() * k
            sums["dFake"] += torch.sigmoid(lf).mean().item() * k
            n += k
        secs = time.time() - t0
        rec = {"epoch": epoch + 1, "seconds": secs, **{k: v / n for k, v in sums.items()}}
        epochs.append(rec)
        print(" ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in rec.items()), flush=True)
        g.eval()
        with torch.no_grad():
            vutils.save_image(g(fixed), os.path.join(a.out, f"samples-epoch{epoch + 1:02d}.png"), nrow=8, padding=2, normalize=True, value_range=(-1, 1), pad_value=1)
        write_outputs(a, g, epochs, started)  # every epoch: a run cut short still leaves its last epoch
    print(f"wrote {a.out} in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
