#!/usr/bin/python3
"""The PyTorch side of the word-level LSTM comparison (docs/rnn.md).

Reads the exact token ids, vocabulary and options that `shinsou train word-lstm --export-data`
wrote (data.json in the run folder), and trains the same model with the same algorithm as
shinsou's trainLm, which follows PyTorch's examples/word_language_model: truncated BPTT with the
hidden state carried and detached, clip_grad_norm_, plain SGD with lr /= 4 when validation
perplexity does not improve, the best model by validation kept and evaluated on the test split.

Run with Debian's torch:  /usr/bin/python3 scripts/word_lm_torch.py runs/word-lstm/data.json [--threads 2]
Writes metrics_torch.json next to data.json.
"""
import argparse
import json
import math
import pathlib
import time

import torch
import torch.nn as nn


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout if nlayers > 1 else 0)
        self.decoder = nn.Linear(nhid, ntoken)
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)
        self.nhid = nhid

    def forward(self, x, hidden=None):
        emb = self.drop(self.encoder(x))
        out, hidden = self.rnn(emb, hidden)
        out = self.drop(out)
        return self.decoder(out.reshape(-1, self.nhid)), hidden


def batchify(ids, bsz):
    n = len(ids) // bsz
    return torch.tensor(ids[: n * bsz], dtype=torch.long).view(bsz, n).t().contiguous()


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1), seq_len


def evaluate(model, source, bptt, criterion):
    model.eval()
    total, count, hidden = 0.0, 0, None
    with torch.no_grad():
        for i in range(0, source.size(0) - 1, bptt):
            data, targets, n = get_batch(source, i, bptt)
            out, hidden = model(data, hidden)
            total += n * criterion(out, targets).item()
            count += n
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-batches", type=int, default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    path = pathlib.Path(args.data)
    d = json.loads(path.read_text())
    m, t = d["model"], d["train"]
    torch.manual_seed(t["seed"])
    model = RNNModel(m["vocabSize"], m["embedSize"], m["hiddenSize"], m["numLayers"], m["dropout"])
    criterion = nn.CrossEntropyLoss()
    train = batchify(d["train_ids"], t["batchSize"])
    valid = batchify(d["valid_ids"], 10)
    test = batchify(d["test_ids"], 10)
    bptt, lr, clip = t["bptt"], t["lr"], t["clip"]
    nparams = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, {args.threads} threads: {nparams} parameters, train tokens {len(d['train_ids'])}")
    best, best_state, history, train_secs = math.inf, None, [], 0.0
    for epoch in range(1, t["epochs"] + 1):
        model.train()
        t0 = time.perf_counter()
        hidden, loss_sum, count = None, 0.0, 0
        for b, i in enumerate(range(0, train.size(0) - 1, bptt)):
            if args.max_batches is not None and b >= args.max_batches:
                break
            data, targets, n = get_batch(train, i, bptt)
            if hidden is not None:
                hidden = tuple(h.detach() for h in hidden)
            model.zero_grad()
            out, hidden = model(data, hidden)
            loss = criterion(out, targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            with torch.no_grad():
                for p in model.parameters():
                    p.add_(p.grad, alpha=-lr)
            loss_sum += n * loss.item()
            count += n
        secs = time.perf_counter() - t0
        train_secs += secs
        vloss = evaluate(model, valid, bptt, criterion)
        history.append({"epoch": epoch, "lr": lr, "trainLoss": loss_sum / count, "validLoss": vloss, "validPpl": math.exp(vloss), "seconds": secs})
        print(f"epoch {epoch}: lr {lr:.3g} train ppl {math.exp(loss_sum / count):.2f} | valid ppl {math.exp(vloss):.2f} | {secs:.1f} s", flush=True)
        if vloss < best:
            best = vloss
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            lr /= t.get("lrDecay", 4)
    model.load_state_dict(best_state)
    tloss = evaluate(model, test, bptt, criterion)
    res = {"torch": torch.__version__, "threads": args.threads, "parameters": nparams, "epochs": history, "bestValidPpl": math.exp(best),
           "testPpl": math.exp(tloss), "secondsPerEpoch": train_secs / len(history)}
    (path.parent / "metrics_torch.json").write_text(json.dumps(res, indent=2) + "\n")
    print(f"done: best valid ppl {math.exp(best):.2f}, test ppl {math.exp(tloss):.2f}, {train_secs / len(history):.1f} s/epoch")


if __name__ == "__main__":
    main()
