#!/usr/bin/env python3
"""What the DCR share of an 80/20 split can tell on a small wide table (sonar by default).

Over thirty random 80/20 splits, the DCR share (share of synthetic rows closer to a sample of training rows than to
the held-out rows, as many of each, range-scaled L1 distance as bench synth's Gower distance on numeric columns)
of: a Gaussian copula (empirical marginals), the same with a Ledoit-Wolf correlation, one copula per class,
independent columns, and the training rows themselves (a generator that copies them). And a reference no generator
can reach: independent columns drawn from all rows, held-out ones included, which says how much of a share above
0.5 comes from nothing but fitting each column's values to the training rows.

    apt-get install -y python3-sklearn python3-pandas
    /usr/bin/python3 src/test/scripts/dcr_splits.py [CSV] [TARGET]
"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.covariance import LedoitWolf

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/suite/sonar.csv"
target = sys.argv[2] if len(sys.argv) > 2 else "Class"
df = pd.read_csv(path).dropna()
y = df[target].values
X = df.drop(columns=[target]).select_dtypes("number").values
n, d = X.shape
cut = int(round(n * 0.8))


def scores(col):
    s = np.sort(col)
    u = (np.searchsorted(s, col, side="right") - 0.5) / len(s)
    return norm.ppf(np.clip(u, 0.5 / len(s), 1 - 0.5 / len(s)))


def inverse(col, z):
    s = np.sort(col)
    return np.interp(norm.cdf(z) * (len(s) - 1), np.arange(len(s)), s)


def copula(rows, m, rng, shrink=False):
    z = np.column_stack([scores(rows[:, j]) for j in range(d)])
    c = LedoitWolf().fit(z).covariance_ if shrink else np.cov(z.T)
    sd = np.sqrt(np.diag(c))
    draws = rng.multivariate_normal(np.zeros(d), c / np.outer(sd, sd), size=m)
    return np.column_stack([inverse(rows[:, j], draws[:, j]) for j in range(d)])


def per_class(rows, labels, m, rng, shrink=False):
    parts = [copula(rows[labels == c], int(round(m * np.mean(labels == c))), rng, shrink) for c in np.unique(labels)]
    return np.vstack(parts)


def dcr(syn, train, held, scale):
    def nearest(a, b):
        return (np.abs(a[:, None, :] - b[None, :, :]) / scale).sum(-1).min(1)
    dt, dh = nearest(syn, train), nearest(syn, held)
    return np.mean((dt < dh) + 0.5 * (dt == dh))


results = {}
SPLITS = 30
for seed in range(SPLITS):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n)
    tr, ho = X[idx[:cut]], X[idx[cut:]]
    lo = np.minimum(tr.min(0), ho.min(0))
    scale = np.maximum(tr.max(0), ho.max(0)) - lo
    scale[scale == 0] = 1
    sample = tr[rng.choice(len(tr), len(ho), replace=False)]
    models = {
        "copula": copula(tr, 1000, rng),
        "copula, Ledoit-Wolf": copula(tr, 1000, rng, True),
        "copula per class": per_class(tr, y[idx[:cut]], 1000, rng),
        "independent columns": np.column_stack([rng.choice(tr[:, j], 1000) for j in range(d)]),
        "independent, all rows": np.column_stack([rng.choice(X[:, j], 1000) for j in range(d)]),
        "the training rows": tr,
    }
    for name, syn in models.items():
        results.setdefault(name, []).append(dcr(syn, sample, ho, scale))
print("%s: %d rows, %d numeric columns, DCR share over %d 80/20 splits" % (path, n, d, SPLITS))
for name, v in results.items():
    print("%-22s mean %.3f  sd %.3f  se %.3f" % (name, np.mean(v), np.std(v), np.std(v) / np.sqrt(len(v))))
