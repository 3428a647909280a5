#!/usr/bin/python3
"""PyTorch side of `npm run bench`: the workloads of src/bench/workloads.ts, timed the same way
(warm-up, then median of repeated steps within a time budget), printed as one JSON object.

Run with the system interpreter (Debian python3-torch) and OpenMP OpenBLAS (libopenblas0-openmp):
    /usr/bin/python3 bench/torch_bench.py --threads 2 [--quick]
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


def time_it(step, warmup=2, min_reps=3, max_reps=50, budget_ms=3000):
    for _ in range(warmup):
        step()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (len(times) < min_reps or (time.perf_counter() - start) * 1000 < budget_ms):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"medianMs": times[len(times) // 2], "minMs": times[0], "reps": len(times)}


def param(shape, scale):
    return (torch.randn(*shape) * scale).requires_grad_()


def matmul_step(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return lambda: torch.mm(a, b)


def conv_step(xs, ws, padding, groups):
    x = torch.randn(*xs, requires_grad=True)
    w = param(ws, 0.1)
    gy = torch.randn_like(F.conv2d(x.detach(), w.detach(), padding=padding, groups=groups))

    def step():
        x.grad = None
        w.grad = None
        y = F.conv2d(x, w, padding=padding, groups=groups)
        y.backward(gy)
    return step


def cnn_step(batch=64):
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    w1, b1 = param([32, 1, 3, 3], 1 / 3), param([32], 0.1)
    w2, b2 = param([64, 32, 3, 3], 1 / math.sqrt(288)), param([64], 0.1)
    w3, b3 = param([9216, 128], 1 / 96), param([128], 0.1)
    w4, b4 = param([128, 10], 1 / math.sqrt(128)), param([10], 0.1)
    ps = [w1, b1, w2, b2, w3, b3, w4, b4]

    def step():
        for p in ps:
            p.grad = None
        h = F.relu(F.conv2d(x, w1, b1))
        h = F.relu(F.conv2d(h, w2, b2))
        h = F.max_pool2d(h, 2).reshape(batch, 9216)
        h = F.relu(h @ w3 + b3)
        F.cross_entropy(h @ w4 + b4, y).backward()
    return step


def lstm_raw_step(batch=32, steps=35, size=256):
    x = torch.randn(steps, batch, size)
    s = 1 / math.sqrt(size)
    w, b = param([2 * size, 4 * size], s), param([4 * size], s)

    def step():
        w.grad = None
        b.grad = None
        h = torch.zeros(batch, size)
        c = torch.zeros(batch, size)
        hs = []
        for t in range(steps):
            u = torch.cat([x[t], h], 1) @ w + b
            i, f, g, o = u.split(size, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            hs.append(h)
        out = torch.stack(hs)
        (out * out).mean().backward()
    return step


def recurrent_module_step(cls, batch=32, steps=35, size=256):
    layer = cls(size, size)
    x = torch.randn(steps, batch, size)

    def step():
        layer.zero_grad(set_to_none=True)
        out, _ = layer(x)
        (out * out).mean().backward()
    return step


def transformer_step(batch=32, length=64, d_model=256, heads=8):
    layer = torch.nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=4 * d_model, dropout=0.0, batch_first=True)
    x = torch.randn(batch, length, d_model)

    def step():
        layer.zero_grad(set_to_none=True)
        y = layer(x)
        (y * y).mean().backward()
    return step


def padding_mask(n, length):
    """The key padding mask of src/bench/workloads.ts paddingMask: True past each sequence's length."""
    lengths = [length - (3 * i) % max(1, length // 2) for i in range(n)]
    return torch.arange(length)[None, :] >= torch.tensor(lengths)[:, None]


def attention_step(batch=32, length=64, d_model=256, heads=8):
    mha = torch.nn.MultiheadAttention(d_model, heads, batch_first=True)
    x = torch.randn(batch, length, d_model, requires_grad=True)
    kpm = padding_mask(batch, length)
    ps = [x, *mha.parameters()]

    def step():
        for p in ps:
            p.grad = None
        y, _ = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
        (y * y).mean().backward()
    return step


def transformer_seq2seq_step(batch=32, length=32, d_model=256, heads=8, layers=2, vocab=4000):
    """src/bench/workloads.ts transformerSeq2seqWorkload: tied embeddings, sinusoidal positions,
    nn.Transformer with padding and causal masks, cross-entropy over the vocabulary."""
    from torch import nn
    emb = nn.Embedding(vocab, d_model)
    model = nn.Transformer(d_model, heads, layers, layers, 4 * d_model, 0.1, batch_first=True)
    head = nn.Linear(d_model, vocab)
    head.weight = emb.weight
    pos = torch.arange(length)[:, None] * torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.sin(pos)
    pe[:, 1::2] = torch.cos(pos)
    drop = nn.Dropout(0.1)
    src = torch.randint(0, vocab, (batch, length))
    tgt_in = torch.randint(0, vocab, (batch, length))
    tgt_out = torch.randint(0, vocab, (batch * length,))
    src_pad = padding_mask(batch, length)
    tgt_pad = padding_mask(batch, length)
    causal = model.generate_square_subsequent_mask(length)
    ps = list({id(p): p for p in [*emb.parameters(), *model.parameters(), *head.parameters()]}.values())
    model.train()

    def embed(ids):
        return drop(emb(ids) * math.sqrt(d_model) + pe)

    def step():
        for p in ps:
            p.grad = None
        h = model(embed(src), embed(tgt_in), tgt_mask=causal, src_key_padding_mask=src_pad,
                  tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
        torch.nn.functional.cross_entropy(head(h).reshape(batch * length, vocab), tgt_out).backward()
    return step


CONV_SHAPES = [
    ("conv 32->64 3x3 (26x26, N64)", [64, 32, 26, 26], [64, 32, 3, 3], 0, 1),
    ("conv 64->128 3x3 pad1 (32x32, N16)", [16, 64, 32, 32], [128, 64, 3, 3], 1, 1),
    ("depthwise 128 3x3 pad1 (32x32, N16)", [16, 128, 32, 32], [128, 1, 3, 3], 1, 128),
    ("pointwise 128->256 1x1 (32x32, N16)", [16, 128, 32, 32], [256, 128, 1, 1], 0, 1),
]


def block_step(block, shape):
    """One CNN block in train mode on a fixed input: forward, mean of the squared output, backward."""
    x = torch.randn(*shape)
    block.train()
    ps = list(block.parameters())

    def step():
        for p in ps:
            p.grad = None
        y = block(x)
        (y * y).mean().backward()
    return step


def cnn_block_steps(batch=32):
    """The rows of src/bench/workloads.ts cnnBlockWorkloads, from torchvision's own blocks."""
    from torch import nn
    from torchvision.models.resnet import BasicBlock, Bottleneck
    from torchvision.models.densenet import _DenseBlock

    def conv_bn_relu(i, o, k, groups=1):
        return nn.Sequential(nn.Conv2d(i, o, k, padding=(k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(o), nn.ReLU())

    return [
        ("ResNet basic block training step", block_step(BasicBlock(64, 64), [batch, 64, 16, 16])),
        ("ResNet bottleneck block training step", block_step(Bottleneck(256, 64), [batch, 256, 16, 16])),
        ("DenseNet dense block training step", block_step(_DenseBlock(4, 64, 4, 32, 0.0), [batch, 64, 16, 16])),
        (
            "depthwise separable block training step",
            block_step(nn.Sequential(conv_bn_relu(128, 128, 3, groups=128), conv_bn_relu(128, 256, 1)), [batch, 128, 16, 16]),
        ),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=None, help="run only the workloads whose name contains this")
    args = ap.parse_args()
    budget = 800 if args.quick else 3000
    torch.manual_seed(0)
    res = {"version": torch.__version__, "threads": args.threads, "results": {}}

    def run(name, step, threads=args.threads, **kw):
        if args.only and args.only not in name:
            return
        torch.set_num_threads(threads)
        res["results"][name] = time_it(step, budget_ms=budget, **kw)

    for n in (256, 512, 1024):
        run(f"matmul {n}", matmul_step(n))
    for name, xs, ws, p, g in CONV_SHAPES:
        run(name, conv_step(xs, ws, p, g))
    run("CNN training step", cnn_step())
    run("LSTM training step", lstm_raw_step())
    run("LSTM training step (nn.LSTM)", recurrent_module_step(torch.nn.LSTM))
    run("GRU training step (nn.GRU)", recurrent_module_step(torch.nn.GRU))
    run("Transformer encoder layer training step", transformer_step())
    run("attention layer training step (nn.MultiheadAttention)", attention_step())
    run("Transformer encoder-decoder training step (nn.Transformer)", transformer_seq2seq_step())
    for name, step in cnn_block_steps():
        run(name, step)
    torch.set_num_threads(args.threads)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
