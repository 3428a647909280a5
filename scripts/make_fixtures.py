#!/usr/bin/python3
"""Writes the PyTorch parity fixtures (fixtures/parity/*.json) from scripts/fixtures/*.py.

Run with Debian's python3-torch: `npm run fixtures` (or /usr/bin/python3 scripts/make_fixtures.py [module ...]).
The test suite reads the committed JSON and never needs Python.
"""
import importlib.util
import json
import pathlib
import sys

import torch

here = pathlib.Path(__file__).resolve().parent
out_dir = here.parent / "fixtures" / "parity"
out_dir.mkdir(parents=True, exist_ok=True)
sys.path.insert(0, str(here / "fixtures"))

wanted = set(sys.argv[1:])
torch.set_num_threads(1)
for path in sorted((here / "fixtures").glob("*.py")):
    if path.stem == "common" or (wanted and path.stem not in wanted):
        continue
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import common

    common.seed(sum(map(ord, path.stem)))
    cases = list(mod.cases())
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"{path.name}: duplicate case names {sorted(dup)}")
    doc = {"generator": f"scripts/fixtures/{path.name}", "torch": torch.__version__, "cases": cases}
    target = out_dir / f"{path.stem}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, separators=(",", ":")))
    tmp.replace(target)
    print(f"{target.relative_to(here.parent)}: {len(cases)} cases")
