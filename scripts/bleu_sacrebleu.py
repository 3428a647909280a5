#!/usr/bin/python3
"""Writes fixtures/bleu.json: corpora of hypotheses and references with sacrebleu's default corpus
BLEU (13a tokenization, 'exp' smoothing, mixed case) and the 13a tokens of every line, for
test/bleu.test.ts (the test suite reads the committed JSON and never needs Python). Then, when the
library is built (dist/), computes our corpusBleu on the same corpora and prints both side by side,
failing if any score differs by more than 1e-9.

    npm run build && /usr/bin/python3 scripts/bleu_sacrebleu.py

sacrebleu is pip-installed for the system interpreter (python3 -m pip install sacrebleu).
"""
import json
import pathlib
import random
import subprocess
import sys

import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

ROOT = pathlib.Path(__file__).resolve().parent.parent

cases = []


def add(name, hyps, refs, lowercase=False):
    cases.append({"name": name, "hyps": hyps, "refs": refs, "lowercase": lowercase})


add("identical", ["the cat sat on the mat", "In the beginning God created the heavens and the earth."],
    [["the cat sat on the mat", "In the beginning God created the heavens and the earth."]])
add("bible verses, one reference",
    ["In the beginning, God created the heaven and the earth.",
     "And the earth was without form and void; and darkness was upon the face of the deep.",
     "God said, “Let there be light,” and there was light.",
     "Jesus wept."],
    [["In the beginning, God created the heavens and the earth.",
      "The earth was formless and empty. Darkness was on the surface of the deep.",
      "God said, “Let there be light,” and there was light.",
      "Jesus wept."]])
add("punctuation, digits and symbols",
    ["He paid 3.5 shekels, 1,000 talents & 12-13 cubits (about 6 m).",
     "“Yes,” he said: it's 10:30 -- isn't it?",
     "a/b [c] {d} <e> ~f~ `g` ^h^ _i_ |j| $k$ %l% @m #n +o= *p*"],
    [["He paid 3,5 shekels, 1.000 talents and 12 - 13 cubits (about 6 m) .",
      "\"Yes,\" he said: it is 10:30 - isn't it?",
      "a / b [c] {d} <e> ~f~ `g` ^h^ _i_ |j| $k$ %l% @m #n +o= *p*"]])
add("escapes and skipped", ["Tom &amp; Jerry &quot;x&quot; &lt;y&gt; <skipped> well-\nknown"],
    [["Tom & Jerry \"x\" <y> well-known"]])
add("short hypothesis (brevity penalty)", ["the cat", "a"], [["the cat sat on the mat", "a dog barked at the moon"]])
add("no 4-gram match (exp smoothing)", ["the cat the dog a bird", "one two three"],
    [["the cat and the dog and a bird", "one three two"]])
add("no 3- and 4-gram match", ["a b c d", "e f"], [["a b x c d", "e f"]])
add("nothing matches", ["foo bar baz"], [["qux quux corge"]])
add("empty hypothesis", ["", "the cat sat"], [["the cat sat on the mat", "the cat sat"]])
add("two references", ["the cat is on the mat", "there is a cat on the mat"],
    [["the cat is on the mat", "a cat sits on the mat"], ["there is a cat on the mat", "the mat has a cat"]])
add("longer than the reference", ["the the the the the the the"], [["the cat is on the mat"]])
add("lowercase", ["The Cat SAT on the Mat"], [["the cat sat on THE mat"]], lowercase=True)
add("unicode spaces and accents", ["¡Oh Jehová,\u00a0cuánto se han multiplicado mis enemigos!  ", "Él dijo:\tsí."],
    [["¡OH Jehová, cuánto se han multiplicado mis enemigos!", "Él  dijo: sí ."]])

# random corpora over a small vocabulary with punctuation and numbers (seeded)
rng = random.Random(1234)
words = ["the", "God", "said", "and", "to", "of", "he", "Lord", "Yahweh", "was", ",", ".", ":", ";", "“", "”",
         "'s", "3", "10.5", "1,000", "(", ")", "-", "a", "son", "king", "Israel", "in", "it", "?"]


def sentence(n):
    toks = [rng.choice(words) for _ in range(n)]
    out = ""
    for t in toks:
        out += t if rng.random() < 0.2 else " " + t
    return out.strip()


for k in range(4):
    refs = [sentence(rng.randint(3, 30)) for _ in range(40)]
    hyps = []
    for r in refs:
        toks = r.split(" ")
        toks = [t if rng.random() < 0.7 else rng.choice(words) for t in toks]
        if rng.random() < 0.3:
            toks = toks[: max(1, len(toks) - rng.randint(1, 5))]
        hyps.append(" ".join(toks))
    add(f"random corpus {k}", hyps, [refs])

tok = Tokenizer13a()
for c in cases:
    bleu = BLEU(lowercase=c["lowercase"])
    s = bleu.corpus_score(c["hyps"], c["refs"])
    c["score"] = s.score
    c["bp"] = s.bp
    c["sysLen"] = s.sys_len
    c["refLen"] = s.ref_len
    c["correct"] = list(s.counts)
    c["total"] = list(s.totals)
    c["tokens"] = [tok(h.rstrip()).split() for h in c["hyps"]]

out = ROOT / "fixtures" / "bleu.json"
out.write_text(json.dumps({"sacrebleu": sacrebleu.__version__, "cases": cases}, ensure_ascii=False, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} cases, sacrebleu {sacrebleu.__version__})")

dist = ROOT / "dist" / "src" / "metrics" / "bleu.js"
if not dist.exists():
    print("dist/ not built: skipping the comparison with our corpusBleu (npm run build first)")
    sys.exit(0)
js = f"""
import {{ readFileSync }} from 'node:fs';
import {{ corpusBleu }} from {json.dumps(str(dist))};
const f = JSON.parse(readFileSync({json.dumps(str(out))}, 'utf8'));
console.log(JSON.stringify(f.cases.map((c) => corpusBleu(c.hyps, c.refs, {{ lowercase: c.lowercase }}).score)));
"""
ours = json.loads(subprocess.run(["node", "--input-type=module", "-e", js], check=True, capture_output=True, text=True).stdout)
worst = 0.0
print(f"{'case':40s} {'sacrebleu':>12s} {'shinsou':>12s}")
for c, o in zip(cases, ours):
    worst = max(worst, abs(c["score"] - o))
    print(f"{c['name']:40s} {c['score']:12.6f} {o:12.6f}")
print(f"largest difference: {worst:.3g}")
sys.exit(0 if worst <= 1e-9 else 1)
