#!/usr/bin/python3
"""The translate-transformer recipe's model and training, in PyTorch, on exactly our data: reads the
file scripts/translate-export.mjs writes (our BPE vocabulary, the encoded pairs, the length-sorted
batches and the order our run draws them in), trains the same configuration with the same steps
and learning-rate schedule, translates the test books greedily, and reports sacrebleu's corpus
BLEU (default settings) and the training time.

    npm run build
    node scripts/translate-export.mjs runs/translate-torch-data.json --epochs 2 --max-batches 80 --warmup 40
    /usr/bin/python3 scripts/translate_torch.py runs/translate-torch-data.json --threads 1 --out runs/translate-torch.json

The model (src/models/translation/models.ts, TransformerTranslator): nn.Transformer (post-norm,
ReLU, xavier_uniform_ on every matrix), one embedding E ~ N(0, 1/d) shared by source, target and
the output layer (logits = y E^T + b), inputs E[w] * sqrt(d) + sinusoidal positions, dropout.
Training (src/models/translation/task.ts): Adam (0.9, 0.98, eps 1e-9), lr * min(s / w, sqrt(w / s)),
gradient-norm clipping, cross entropy with label smoothing over the target tokens.
"""
import argparse
import json
import math
import time

import sacrebleu
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--out", default=None)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--max-steps", type=int, default=0, help="train on the first N steps only (a smoke test)")
p.add_argument("--test-limit", type=int, default=0, help="translate the first N test verses only (a smoke test)")
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

D = json.load(open(args.data))
if args.max_steps:
    D["order"] = D["order"][: args.max_steps]
if args.test_limit:
    D["test"] = D["test"][: args.test_limit]
    D["testRefs"] = D["testRefs"][: args.test_limit]
o = D["options"]
sp = D["specials"]
PAD, UNK, BOS, EOS = sp["pad"], sp["unk"], sp["bos"], sp["eos"]
V = len(D["tokens"])
d = o["embed"]


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len, dropout):
        super().__init__()
        pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(1), persistent=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):  # [L, N, d]
        return self.dropout(x + self.pe[: x.shape[0]])


class TransformerTranslator(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, d)
        self.positions = PositionalEncoding(d, 2 * o["maxLen"] + 16, o["dropout"])
        self.transformer = nn.Transformer(d_model=d, nhead=o["heads"], num_encoder_layers=o["layers"],
                                          num_decoder_layers=o["layers"], dim_feedforward=o["hidden"],
                                          dropout=o["dropout"])
        self.out = nn.Linear(d, V)
        with torch.no_grad():
            nn.init.normal_(self.embedding.weight, 0, 1 / math.sqrt(d))
        self.out.weight = self.embedding.weight

    def embed(self, ids):
        return self.positions(self.embedding(ids) * math.sqrt(d))

    def encode(self, src, pad):
        return self.transformer.encoder(self.embed(src), src_key_padding_mask=pad)

    def decode(self, tgt, memory, pad):
        T = tgt.shape[0]
        mask = nn.Transformer.generate_square_subsequent_mask(T)
        return self.transformer.decoder(self.embed(tgt), memory, tgt_mask=mask, memory_key_padding_mask=pad)


def pad_columns(seqs, value):
    T = max(1, max(len(s) for s in seqs))
    t = torch.full((T, len(seqs)), value, dtype=torch.long)
    for j, s in enumerate(seqs):
        t[: len(s), j] = torch.tensor(s, dtype=torch.long)
    return t


def padding_mask(seqs, S):
    m = torch.zeros(len(seqs), S, dtype=torch.bool)
    for j, s in enumerate(seqs):
        m[j, len(s):] = True
    return m


def collate(pairs):
    src = pad_columns([p[0] for p in pairs], PAD)
    T = max(len(p[1]) for p in pairs)
    din = torch.full((T, len(pairs)), PAD, dtype=torch.long)
    tgt = torch.full((T, len(pairs)), -100, dtype=torch.long)
    for b, (_, y) in enumerate(pairs):
        din[0, b] = BOS
        if len(y) > 1:
            din[1: len(y), b] = torch.tensor(y[:-1], dtype=torch.long)
        tgt[: len(y), b] = torch.tensor(y, dtype=torch.long)
    return src, padding_mask([p[0] for p in pairs], src.shape[0]), din, tgt


model = TransformerTranslator()
opt = torch.optim.Adam(model.parameters(), lr=o["lr"], betas=(0.9, 0.98), eps=1e-9)
W = o["warmup"]


def lr_at(step):
    return o["lr"] * min(step / W, math.sqrt(W / max(1, step))) if W > 0 else o["lr"]


loss_fn = nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=o["labelSmoothing"])
train = D["train"]
t0 = time.time()
losses = []
model.train()
for step, b in enumerate(D["order"]):
    for g in opt.param_groups:
        g["lr"] = lr_at(step + 1)
    src, pad, din, tgt = collate([train[i] for i in D["batches"][b]])
    memory = model.encode(src, pad)
    y = model.decode(din, memory, pad)
    logits = model.out(y)
    loss = loss_fn(logits.reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    if o["clip"] > 0:
        nn.utils.clip_grad_norm_(model.parameters(), o["clip"])
    opt.step()
    losses.append(loss.item())
    if (step + 1) % 20 == 0:
        print(f"step {step + 1}/{len(D['order'])} loss {sum(losses[-20:]) / 20:.4f} ({time.time() - t0:.0f} s)", flush=True)
train_seconds = time.time() - t0


def detok(ids):
    s = "".join(D["tokens"][i] if i not in (PAD, BOS, EOS) else "" for i in ids)
    return s.replace("\u2581", " ").strip()


@torch.no_grad()
def greedy(pairs, batch=64):
    model.eval()
    out = []
    for i in range(0, len(pairs), batch):
        srcs = [p[0] if len(p[0]) else [UNK] for p in pairs[i: i + batch]]
        src = pad_columns(srcs, PAD)
        pad = padding_mask(srcs, src.shape[0])
        memory = model.encode(src, pad)
        n = len(srcs)
        max_len = min(256, 2 * max(len(s) for s in srcs) + 10)
        ys = torch.full((1, n), BOS, dtype=torch.long)
        done = torch.zeros(n, dtype=torch.bool)
        hyps = [[] for _ in range(n)]
        for _ in range(max_len):
            logits = model.out(model.decode(ys, memory, pad)[-1])
            logits[:, [PAD, BOS, UNK]] = -float("inf")
            nxt = logits.argmax(-1)
            for j in range(n):
                if not done[j]:
                    if nxt[j].item() == EOS:
                        done[j] = True
                    else:
                        hyps[j].append(nxt[j].item())
            if done.all():
                break
            ys = torch.cat([ys, nxt.unsqueeze(0)], 0)
        out.extend(detok(h) for h in hyps)
    return out


@torch.no_grad()
def test_loss(pairs, batch=64):
    model.eval()
    tot, n = 0.0, 0
    f = nn.CrossEntropyLoss(ignore_index=-100, reduction="sum")
    for i in range(0, len(pairs), batch):
        src, pad, din, tgt = collate(pairs[i: i + batch])
        logits = model.out(model.decode(din, model.encode(src, pad), pad))
        tot += f(logits.reshape(-1, V), tgt.reshape(-1)).item()
        n += (tgt != -100).sum().item()
    return tot / n


t1 = time.time()
hyps = greedy(D["test"])
metric = sacrebleu.BLEU()
bleu = metric.corpus_score(hyps, [D["testRefs"]])
result = {
    "torch": torch.__version__,
    "threads": args.threads,
    "steps": len(D["order"]),
    "trainSeconds": train_seconds,
    "secondsPerStep": train_seconds / len(D["order"]),
    "finalTrainLoss": sum(losses[-20:]) / min(20, len(losses)),
    "testLoss": test_loss(D["test"]),
    "testBleuGreedy": bleu.score,
    "bleuSignature": str(metric.get_signature()),
    "decodeSeconds": time.time() - t1,
    "samples": [{"reference": r, "greedy": h} for r, h in list(zip(D["testRefs"], hyps))[:: max(1, len(hyps) // 6)]],
}
print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
if args.out:
    json.dump(result, open(args.out, "w"), indent=1, ensure_ascii=False)
