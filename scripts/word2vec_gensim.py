#!/usr/bin/python3
"""gensim's word2vec on the tokens of a `shinsou train word2vec --export-corpus` run, with the
same hyper-parameters, one worker thread: the reference for docs/word2vec.md.

    /usr/bin/python3 scripts/word2vec_gensim.py RUN_DIR/corpus.txt OUT_DIR [--mode skipgram|cbow]
        [--dim 100] [--window 5] [--negatives 5] [--min-count 5] [--sample 1e-3]
        [--alpha 0.025] [--min-alpha 0.0001] [--epochs 5] [--seed 0]

Reads one sentence per line (tokens separated by spaces, as our tokeniser wrote them), trains,
and writes OUT_DIR/vectors.txt (word2vec text format: "V d", then "word x1 .. xd") and
OUT_DIR/gensim.json: the options, vocabulary size, raw words, the training time (wall clock and
process CPU time of model.train only, vocabulary building excluded, as ours) and words per second,
and gensim's own evaluate_word_analogies score on fixtures/word2vec/kjv-analogies.txt as a
cross-check of our 3CosAdd evaluation. Uses Debian's python3-gensim (the system interpreter).
"""
import argparse
import json
import os
import time

from gensim.models import Word2Vec


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--mode", choices=["skipgram", "cbow"], default="skipgram")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negatives", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-vectors", action="store_true", help="skip vectors.txt (speed runs)")
    a = p.parse_args()

    with open(a.corpus, encoding="utf-8") as f:
        sentences = [line.split() for line in f if line.strip()]
    raw_words = sum(len(s) for s in sentences)
    model = Word2Vec(
        vector_size=a.dim,
        window=a.window,
        min_count=a.min_count,
        sample=a.sample,
        negative=a.negatives,
        hs=0,
        ns_exponent=0.75,
        sg=1 if a.mode == "skipgram" else 0,
        cbow_mean=1,
        alpha=a.alpha,
        min_alpha=a.min_alpha,
        workers=1,
        seed=a.seed,
    )
    model.build_vocab(sentences)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    model.train(sentences, total_examples=len(sentences), total_words=raw_words, epochs=a.epochs)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0

    os.makedirs(a.out, exist_ok=True)
    if not a.no_vectors:
        model.wv.save_word2vec_format(os.path.join(a.out, "vectors.txt"), binary=False)
    here = os.path.dirname(os.path.abspath(__file__))
    analogies = os.path.join(here, "..", "fixtures", "word2vec", "kjv-analogies.txt")
    score, sections = model.wv.evaluate_word_analogies(analogies, case_insensitive=False)
    total = [s for s in sections if s["section"] == "Total accuracy"][0]
    words = raw_words * a.epochs
    result = {
        "options": vars(a),
        "gensim": __import__("gensim").__version__,
        "vocab": len(model.wv),
        "rawWords": raw_words,
        "wallSeconds": wall,
        "cpuSeconds": cpu,
        "wordsPerSecond": words / wall,
        "wordsPerCpuSecond": words / cpu,
        "gensimAnalogyAccuracy": score,
        "gensimAnalogyAnswered": len(total["correct"]) + len(total["incorrect"]),
    }
    with open(os.path.join(a.out, "gensim.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k != "options"}))


if __name__ == "__main__":
    main()
