#!/usr/bin/env python3
"""TSTR/TRTR of a Gaussian copula per class of the target: what a plain per-class model reaches on a table.

Each class of the target gets its own copula (its rows' empirical marginals, the correlation of their normal
scores), other categorical columns taken as ordinal codes; as many rows per class as the training rows have.
`RandomForestClassifier(100, random_state=0)` trained on those rows and on the real training rows, both tested on
the held-out 20%, over four random 80/20 splits. A reference for the synthesizer's TSTR/TRTR on tables whose
classes differ by numeric structure (diamonds' cut by depth, table and the x/y/z ratios).

With --bench-out F (the file `bench synth --out F` wrote, with F.train.jsonl and F.test.jsonl beside it), the same
forest scores, on that run's own split, the synthesizer's rows in F beside a copula per class fitted on the same
training records: both generators under one classifier and one set of test rows.

    apt-get install -y python3-sklearn python3-pandas
    /usr/bin/python3 src/test/scripts/class_copula_tstr.py [CSV] [TARGET]   # default: the suite's diamonds, cut
    /usr/bin/python3 src/test/scripts/class_copula_tstr.py --bench-out F TARGET
"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.ensemble import RandomForestClassifier


def scores(col):
    return norm.ppf((pd.Series(col).rank(method="average").values - 0.5) / len(col))


def class_copula(rows, labels, rng):
    out, lab = [], []
    for c in np.unique(labels):
        a = rows[labels == c]
        z = np.column_stack([scores(a[:, j]) for j in range(a.shape[1])])
        corr = np.nan_to_num(np.corrcoef(z.T)) if len(a) > 2 else np.eye(a.shape[1])
        np.fill_diagonal(corr, 1)
        u = norm.cdf(rng.multivariate_normal(np.zeros(a.shape[1]), corr, size=len(a), method="eigh"))
        # a column of few values keeps its values (inverted CDF), others interpolate
        methods = ["inverted_cdf" if len(np.unique(a[:, j])) < 64 else "linear" for j in range(a.shape[1])]
        out.append(np.column_stack([np.quantile(a[:, j], u[:, j], method=methods[j]) for j in range(a.shape[1])]))
        lab += [c] * len(a)
    return np.vstack(out), np.array(lab)


def accuracy(train_x, train_y, test_x, test_y):
    return np.mean(RandomForestClassifier(100, random_state=0, n_jobs=1).fit(train_x, train_y).predict(test_x)
                   == test_y)


def codes(frames, target):
    """Features and labels of each frame, categorical columns as codes over the categories of all of them."""
    cols = [c for c in frames[0].columns if c != target]
    frames = [f[cols + [target]].dropna().copy() for f in frames]
    for c in cols:
        if frames[0][c].dtype == object:
            levels = sorted(set().union(*(set(f[c]) for f in frames)))
            for f in frames:
                f[c] = pd.Categorical(f[c], categories=levels).codes
    return [(f[cols].values.astype(float), f[target].astype(str).values) for f in frames]


def splits(path, target):
    df = pd.read_csv(path).dropna()
    (X, y), = codes([df], target)
    cut = int(round(len(y) * 0.8))
    print("%s: %d rows, target %s, a copula per class, four random 80/20 splits" % (path, len(y), target))
    for seed in (1, 2, 3, 4):
        rng = np.random.default_rng(seed)
        idx = rng.permutation(len(y))
        tr, te = idx[:cut], idx[cut:]
        trtr = accuracy(X[tr], y[tr], X[te], y[te])
        sx, sy = class_copula(X[tr], y[tr], rng)
        tstr = accuracy(sx, sy, X[te], y[te])
        print("split %d: TRTR %.3f  TSTR %.3f  TSTR/TRTR %.3f" % (seed, trtr, tstr, tstr / trtr))


def bench_out(path, target):
    frames = [pd.read_json(p, lines=True) for p in (path, path + ".train.jsonl", path + ".test.jsonl")]
    (sx, sy), (tx, ty), (hx, hy) = codes(frames, target)
    print("%s: %d synthetic rows, %d training and %d test records (complete rows), target %s"
          % (path, len(sy), len(ty), len(hy), target))
    trtr = accuracy(tx, ty, hx, hy)
    print("TRTR %.3f" % trtr)
    for name, (x, y) in (("synthesizer's rows", (sx, sy)),
                         ("copula per class", class_copula(tx, ty, np.random.default_rng(1)))):
        tstr = accuracy(x, y, hx, hy)
        print("%-20s TSTR %.3f  TSTR/TRTR %.3f" % (name, tstr, tstr / trtr))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bench-out":
        bench_out(sys.argv[2], sys.argv[3])
    else:
        splits(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/suite/diamonds.csv",
               sys.argv[2] if len(sys.argv) > 2 else "cut")
