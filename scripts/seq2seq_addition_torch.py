#!/usr/bin/python3
"""The seq2seq-addition recipe in PyTorch, for a side-by-side with shinsou (docs/seq2seq.md).

Same data (the pairs come from shinsou's seeded generator through node, so the split is the
recipe's: the last 10% held out), same model (embedding 16, LSTM 128, reversed input and/or peeky
decoder), same training (Adam 1e-3, gradient-norm clipping at 5, batch 128, shuffled each epoch),
same metric (greedy exact match on the 5,000 held-out pairs). Needs a build (dist/).

  /usr/bin/python3 scripts/seq2seq_addition_torch.py --variant reversed-peeky --epochs 20 --threads 1
prints one line per epoch and writes runs/torch-addition-<variant>.json.
"""
import argparse
import json
import subprocess
import time

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument('--variant', default='reversed-peeky', choices=['baseline', 'reversed', 'peeky', 'reversed-peeky'])
p.add_argument('--epochs', type=int, default=20)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--seed', type=int, default=0)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

pairs = json.loads(subprocess.check_output([
    'node', '--input-type=module', '-e',
    "import { seq2seq } from './dist/src/models/index.js';"
    f"process.stdout.write(JSON.stringify(seq2seq.additionPairs({{ count: 50000, digits: 3, seed: {args.seed} }})));",
]))
chars = sorted(set('0123456789+ '))
itos = ['<pad>', '<bos>', '<eos>', '<unk>'] + chars
stoi = {c: i for i, c in enumerate(itos)}
PAD, BOS, EOS = 0, 1, 2
reverse = args.variant in ('reversed', 'reversed-peeky')
peeky = args.variant in ('peeky', 'reversed-peeky')


def encode(p):
    src = [stoi[c] for c in p['source'].ljust(7)]
    return (src[::-1] if reverse else src), [stoi[c] for c in p['target']]


data = [encode(p) for p in pairs]
n_valid = round(len(data) * 0.1)
train, valid = data[:-n_valid], data[-n_valid:]


def batch(examples):
    src = torch.tensor([s for s, _ in examples]).T  # [7, B]
    T = max(len(t) for _, t in examples) + 1
    inp = torch.full((T, len(examples)), PAD)
    tgt = torch.full((T, len(examples)), PAD)
    for b, (_, t) in enumerate(examples):
        inp[0, b] = BOS
        inp[1:len(t) + 1, b] = torch.tensor(t)
        tgt[:len(t), b] = torch.tensor(t)
        tgt[len(t), b] = EOS
    return src, inp, tgt


class Seq2Seq(nn.Module):
    def __init__(self, V, E=16, H=128):
        super().__init__()
        self.src_embedding = nn.Embedding(V, E, padding_idx=PAD)
        self.encoder = nn.LSTM(E, H)
        self.tgt_embedding = nn.Embedding(V, E, padding_idx=PAD)
        self.decoder = nn.LSTM(E + (H if peeky else 0), H)
        self.out = nn.Linear(H * (2 if peeky else 1), V)

    def start(self, src):
        _, (h, c) = self.encoder(self.src_embedding(src))
        return h, c, h[-1]

    def step(self, inp, h, c, v):
        x = self.tgt_embedding(inp)
        if peeky:
            x = torch.cat([x, v.expand(x.shape[0], -1, -1)], 2)
        o, (h, c) = self.decoder(x, (h, c))
        if peeky:
            o = torch.cat([o, v.expand(o.shape[0], -1, -1)], 2)
        return self.out(o), h, c

    def forward(self, src, inp):
        h, c, v = self.start(src)
        return self.step(inp, h, c, v)[0]


model = Seq2Seq(len(itos))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
g = torch.Generator().manual_seed(args.seed)


@torch.no_grad()
def exact_match():
    model.eval()
    right = 0
    for i in range(0, len(valid), 256):
        part = valid[i:i + 256]
        src, _, _ = batch(part)
        h, c, v = model.start(src)
        tok = torch.full((1, len(part)), BOS)
        out = []
        for _ in range(5):
            logits, h, c = model.step(tok, h, c, v)
            tok = logits.argmax(-1)
            out.append(tok[0])
        out = torch.stack(out).T.tolist()
        for o, (_, t) in zip(out, part):
            o = o[:o.index(EOS)] if EOS in o else o
            right += o == t
    model.train()
    return right / len(valid)


log = []
for epoch in range(1, args.epochs + 1):
    t0 = time.time()
    order = torch.randperm(len(train), generator=g).tolist()
    total = 0.0
    for i in range(0, len(order), 128):
        src, inp, tgt = batch([train[j] for j in order[i:i + 128]])
        loss = loss_fn(model(src, inp).reshape(-1, len(itos)), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        total += loss.item()
    em = exact_match()
    log.append({'epoch': epoch, 'trainLoss': total / ((len(order) + 127) // 128), 'exactMatch': em, 'seconds': time.time() - t0})
    print(f"epoch {epoch}: train loss {log[-1]['trainLoss']:.4f} held-out exact match {em:.4f} ({log[-1]['seconds']:.1f} s)", flush=True)
with open(f'runs/torch-addition-{args.variant}.json', 'w') as f:
    json.dump({'variant': args.variant, 'torch': torch.__version__, 'threads': args.threads, 'epochs': log}, f, indent=1)
