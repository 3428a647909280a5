#!/usr/bin/python3
"""Writes fixtures/frechet.json: feature sets and their Frechet distances computed by NumPy/SciPy,
for test/frechet.test.ts (the test suite reads the committed JSON and never needs Python).

    /usr/bin/python3 scripts/frechet_fixture.py

Each case holds two feature sets x [N1, d] and y [N2, d] (float64, rounded to 12 significant
digits so JSON carries them exactly enough), numpy's means and covariances (np.cov, rowvar=False:
divided by N - 1), and the distance two ways:
  fid_sqrtm: ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrtm(S1 S2)) with scipy.linalg.sqrtm (real
             part), the formula of Heusel et al.'s reference code and of pytorch-fid;
  fid_eigh:  the same with Tr((S1^{1/2} S2 S1^{1/2})^{1/2}) from numpy.linalg.eigh.
Plus the eigenvalues (numpy.linalg.eigh) of one symmetric matrix per case.
"""
import json
import pathlib

import numpy as np
import scipy
import scipy.linalg

rng = np.random.default_rng(1234)


def mixing(d, scale):
    return rng.normal(size=(d, d)) * scale / np.sqrt(d)


def features(n, mix, shift):
    return np.round(rng.normal(size=(n, mix.shape[0])) @ mix + shift, 12)


def fid_sqrtm(m1, s1, m2, s2):
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(np.sum((m1 - m2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def fid_eigh(m1, s1, m2, s2):
    w, v = np.linalg.eigh(s1)
    s1h = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = s1h @ s2 @ s1h
    lam = np.linalg.eigvalsh((m + m.T) / 2)
    return float(np.sum((m1 - m2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(np.clip(lam, 0, None))))


cases = []
for name, n1, n2, d, shift, scale in [
    ("small", 40, 60, 3, 0.5, 1.0),
    ("odd-sizes", 123, 77, 11, -0.3, 2.0),
    ("wide", 200, 150, 32, 0.1, 0.7),
    ("same-distribution", 400, 400, 8, 0.0, None),
]:
    mix = mixing(d, 1.0)
    x = features(n1, mix, 0.0)
    # scale None: y is drawn from x's distribution, so only sampling noise separates them.
    y = features(n2, mix if scale is None else mixing(d, scale), shift)
    m1, s1 = x.mean(0), np.cov(x, rowvar=False)
    m2, s2 = y.mean(0), np.cov(y, rowvar=False)
    sym = np.round(rng.normal(size=(d, d)), 12)
    sym = (sym + sym.T) / 2
    cases.append(
        {
            "name": name,
            "d": d,
            "x": x.tolist(),
            "y": y.tolist(),
            "mean_x": m1.tolist(),
            "cov_x": s1.ravel().tolist(),
            "fid_sqrtm": fid_sqrtm(m1, s1, m2, s2),
            "fid_eigh": fid_eigh(m1, s1, m2, s2),
            "sym": sym.ravel().tolist(),
            "sym_eigenvalues": np.linalg.eigvalsh(sym).tolist(),
        }
    )

doc = {"generator": "scripts/frechet_fixture.py", "numpy": np.__version__, "scipy": scipy.__version__, "cases": cases}
out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "frechet.json"
tmp = out.with_suffix(".json.tmp")
tmp.write_text(json.dumps(doc, separators=(",", ":")))
tmp.replace(out)
for c in cases:
    print(f"{c['name']}: d {c['d']}, fid sqrtm {c['fid_sqrtm']:.10g}, eigh {c['fid_eigh']:.10g}")
