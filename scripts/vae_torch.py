#!/usr/bin/python3
"""The `shinsou train ae | conv-ae | vae | conv-vae` recipes in PyTorch, as the reference for the
test -ELBO and the epoch time (docs/generative.md).

    /usr/bin/python3 scripts/vae_torch.py --recipe vae [--latent 20] [--epochs 20] [--threads 1] [--json out.json]

Same networks, built from the same torch.nn.Sequential stacks as src/models/vae/nets.ts (so the
state-dict keys are the same: encoder.1.weight, mu.weight, logvar.weight, decoder.0.weight, ...)
with torch's default init (which shinsou's layers also use); same data (the Fashion-MNIST IDX
files in $SHINSOU_DATA/fashion-mnist, ~/.cache/shinsou/fashion-mnist or Debian's
dataset-fashion-mnist, pixels / 255 in [0, 1], not normalised); the same seed policy (one seed for
the init, the shuffle and the training eps; the test eps from a generator seeded seed + 1000003,
one Z per test image; the random streams are torch's, not shinsou's); the same loss (nats per
image, summed over pixels, averaged over the batch: Bernoulli = BCE with logits, Gaussian =
N(x; sigmoid(logits), s^2)); Adam at a constant learning rate; batch 128, the last partial batch
kept. Prints each epoch's training seconds (training only, like shinsou's epoch lines) and the test
metrics.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from fashion_torch import load as load_fashion

EVAL_SEED_OFFSET = 1_000_003


def load(split, data_dir):
    """Fashion-MNIST in [0, 1], unstandardised: the Bernoulli decoder's targets (loader shared with fashion_torch.py)."""
    return load_fashion(split, data_dir, normalize=False)


def encoder_body(arch, hidden):
    if arch == "dense":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU()), hidden
    return nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten()), 64 * 7 * 7


def decoder_net(arch, latent, hidden):
    if arch == "dense":
        return nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Unflatten(1, (1, 28, 28)))
    return nn.Sequential(
        nn.Linear(latent, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1),
    )


class Autoencoder(nn.Module):
    def __init__(self, arch="dense", latent=20, hidden=512):
        super().__init__()
        body, features = encoder_body(arch, hidden)
        body.append(nn.Linear(features, latent))
        self.encoder = body
        self.decoder = decoder_net(arch, latent, hidden)

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


class VAE(nn.Module):
    def __init__(self, arch="dense", latent=20, hidden=512):
        super().__init__()
        self.encoder, features = encoder_body(arch, hidden)
        self.mu = nn.Linear(features, latent)
        self.logvar = nn.Linear(features, latent)
        self.decoder = decoder_net(arch, latent, hidden)

    def encode(self, x):
        h = self.encoder(x)
        return self.mu(h), self.logvar(h)

    def forward(self, x, eps):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * eps  # Z = mu + sigma * eps
        return self.decoder(z), mu, logvar


def recon_nll(logits, x, decoder, std):
    """-log p(x|Z) per image, summed over pixels."""
    if decoder == "bernoulli":
        return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
    sq = (x - torch.sigmoid(logits)).pow(2).flatten(1).sum(1)
    return sq / (2 * std * std) + x[0].numel() / 2 * math.log(2 * math.pi * std * std)


def gaussian_kl(mu, logvar):
    """KL(N(mu, sigma^2) || N(0, I)) = -1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2), per row."""
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipe", choices=["ae", "conv-ae", "vae", "conv-vae"], default="vae")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--decoder", choices=["bernoulli", "gaussian"], default="bernoulli")
    ap.add_argument("--decoder-std", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data-dir")
    ap.add_argument("--json", help="write the per-epoch figures here")
    a = ap.parse_args()
    arch = "conv" if a.recipe.startswith("conv") else "dense"
    variational = a.recipe.endswith("vae")
    a.epochs = a.epochs or (10 if arch == "conv" else 20)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, _ = load("train", a.data_dir)
    xte, _ = load("test", a.data_dir)
    if a.limit:
        xtr = xtr[: a.limit]
    model = (VAE if variational else Autoencoder)(arch, a.latent, a.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    gen = torch.Generator().manual_seed(a.seed)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {a.recipe} latent {a.latent}: {nparams} parameters; {len(xtr)} train / {len(xte)} test")

    def evaluate():
        model.eval()
        g = torch.Generator().manual_seed(a.seed + EVAL_SEED_OFFSET)
        recon = kl = 0.0
        with torch.no_grad():
            for i in range(0, len(xte), 1000):
                x = xte[i : i + 1000]
                if variational:
                    eps = torch.randn((len(x), a.latent), generator=g)
                    logits, mu, logvar = model(x, eps)
                    kl += gaussian_kl(mu, logvar).sum().item()
                else:
                    logits, _ = model(x)
                recon += recon_nll(logits, x, a.decoder, a.decoder_std).sum().item()
        model.train()
        n = len(xte)
        return {"testLoss": (recon + kl) / n, "testRecon": recon / n, "testKl": kl / n} if variational else {"testLoss": recon / n}

    epochs = []
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        t0 = time.perf_counter()
        tot = {"loss": 0.0, "recon": 0.0, "kl": 0.0}
        for i in range(0, len(xtr), a.batch_size):
            x = xtr[perm[i : i + a.batch_size]]
            opt.zero_grad()
            if variational:
                eps = torch.randn((len(x), a.latent), generator=gen)
                logits, mu, logvar = model(x, eps)
                recon = recon_nll(logits, x, a.decoder, a.decoder_std).mean()
                kl = gaussian_kl(mu, logvar).mean()
                loss = recon + kl
                tot["recon"] += recon.item() * len(x)
                tot["kl"] += kl.item() * len(x)
            else:
                logits, _ = model(x)
                loss = recon_nll(logits, x, a.decoder, a.decoder_std).mean()
            loss.backward()
            opt.step()
            tot["loss"] += loss.item() * len(x)
        dt = time.perf_counter() - t0
        ev = evaluate()
        rec = {"epoch": epoch + 1, "seconds": dt, "trainLoss": tot["loss"] / len(xtr), **ev}
        if variational:
            rec["trainRecon"] = tot["recon"] / len(xtr)
            rec["trainKl"] = tot["kl"] / len(xtr)
        epochs.append(rec)
        line = " ".join(f"{k} {v:.4f}" for k, v in ev.items())
        print(f"epoch {epoch + 1}/{a.epochs}: train loss {rec['trainLoss']:.4f} | {line} | {dt:.1f} s", flush=True)
    secs = [e["seconds"] for e in epochs]
    print(f"mean {np.mean(secs):.2f} s per epoch (median {np.median(secs):.2f}); final {json.dumps(epochs[-1])}")
    if a.json:
        out = {"recipe": a.recipe, "options": vars(a), "torch": torch.__version__, "threads": torch.get_num_threads(),
               "parameters": nparams, "epochs": epochs, "final": epochs[-1]}
        tmp = a.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(out, f, indent=2)
        os.replace(tmp, a.json)


if __name__ == "__main__":
    main()
