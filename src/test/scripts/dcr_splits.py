#!/usr/bin/env python3
"""What the DCR share of an 80/20 split can tell on a small table (sonar by default), and what keeping its classes
costs in it.

Over random 80/20 splits (thirty by default), the DCR share (share of synthetic rows closer to a sample of training
rows than to the held-out rows, as many of each, range-scaled L1 distance as bench synth's Gower distance on numeric
columns) of classical generators fitted to the training rows, and, for those that draw a class with each row, the
TSTR/TRTR accuracy of a random forest (100 trees) trained on their rows and tested on the held-out rows, as
bench synth does; and their column shapes (mean over the columns of 1 - KS statistic against the training rows):
  - pooled (no class): a Gaussian copula (empirical marginals), the same with a Ledoit-Wolf correlation,
    independent columns;
  - per class: a copula, with a Ledoit-Wolf correlation, with a factor-analysis correlation (5 factors), any of
    them with smoothed marginals (each drawn value plus normal noise of the column's Silverman bandwidth),
    independent columns;
  - references: the training rows themselves (a generator that copies them), and independent columns drawn from all
    rows, held-out ones included (no generator can: how much of a share above 0.5 comes from fitting each column's
    values to the training rows alone).

    apt-get install -y python3-sklearn python3-pandas
    /usr/bin/python3 src/test/scripts/dcr_splits.py [CSV] [TARGET] [SPLITS]
"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp, norm
from sklearn.covariance import LedoitWolf
from sklearn.decomposition import FactorAnalysis
from sklearn.ensemble import RandomForestClassifier

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/suite/sonar.csv"
target = sys.argv[2] if len(sys.argv) > 2 else "Class"
SPLITS = int(sys.argv[3]) if len(sys.argv) > 3 else 30
SYNTHETIC = 1000
df = pd.read_csv(path).dropna()
y = df[target].values
X = df.drop(columns=[target]).select_dtypes("number").values.astype(float)
n, d = X.shape
cut = int(round(n * 0.8))


def scores(col):
    s = np.sort(col)
    u = (np.searchsorted(s, col, side="right") - 0.5) / len(s)
    return norm.ppf(np.clip(u, 0.5 / len(s), 1 - 0.5 / len(s)))


def inverse(col, z, rng, smooth):
    s = np.sort(col)
    v = np.interp(norm.cdf(z) * (len(s) - 1), np.arange(len(s)), s)
    if smooth:
        v = v + rng.normal(0, 1.06 * np.std(col) * len(col) ** -0.2, size=v.shape)
    return v


def copula(rows, m, rng, corr="sample", smooth=False):
    z = np.column_stack([scores(rows[:, j]) for j in range(d)])
    if corr == "ledoit-wolf":
        c = LedoitWolf().fit(z).covariance_
    elif corr == "factors":
        c = FactorAnalysis(5, random_state=0).fit(z).get_covariance()
    else:
        c = np.cov(z.T)
    sd = np.sqrt(np.diag(c))
    draws = rng.multivariate_normal(np.zeros(d), c / np.outer(sd, sd), size=m)
    return np.column_stack([inverse(rows[:, j], draws[:, j], rng, smooth) for j in range(d)])


def independent(rows, m, rng):
    return np.column_stack([rng.choice(rows[:, j], m) for j in range(d)])


def per_class(rows, labels, m, rng, generator, **kw):
    parts, drawn = [], []
    for c in np.unique(labels):
        k = int(round(m * np.mean(labels == c)))
        parts.append(generator(rows[labels == c], k, rng, **kw))
        drawn += [c] * k
    return np.vstack(parts), np.array(drawn)


def dcr(syn, train, held, scale):
    def nearest(a, b):
        return (np.abs(a[:, None, :] - b[None, :, :]) / scale).sum(-1).min(1)
    dt, dh = nearest(syn, train), nearest(syn, held)
    return np.mean((dt < dh) + 0.5 * (dt == dh))


def shapes(syn, train):
    return np.mean([1 - ks_2samp(syn[:, j], train[:, j]).statistic for j in range(d)])


def accuracy(x, labels, test, test_labels):
    forest = RandomForestClassifier(100, random_state=0, n_jobs=1).fit(x, labels)
    return np.mean(forest.predict(test) == test_labels)


results = {}
for seed in range(SPLITS):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n)
    tr, ho, ytr, yho = X[idx[:cut]], X[idx[cut:]], y[idx[:cut]], y[idx[cut:]]
    lo = np.minimum(tr.min(0), ho.min(0))
    scale = np.maximum(tr.max(0), ho.max(0)) - lo
    scale[scale == 0] = 1
    sample = tr[rng.choice(len(tr), len(ho), replace=False)]
    trtr = accuracy(tr, ytr, ho, yho)
    models = {
        "copula": (copula(tr, SYNTHETIC, rng), None),
        "copula, Ledoit-Wolf": (copula(tr, SYNTHETIC, rng, "ledoit-wolf"), None),
        "independent columns": (independent(tr, SYNTHETIC, rng), None),
        "per class: copula": per_class(tr, ytr, SYNTHETIC, rng, copula),
        "per class: copula, Ledoit-Wolf": per_class(tr, ytr, SYNTHETIC, rng, copula, corr="ledoit-wolf"),
        "per class: copula, 5 factors": per_class(tr, ytr, SYNTHETIC, rng, copula, corr="factors"),
        "per class: copula, smoothed": per_class(tr, ytr, SYNTHETIC, rng, copula, smooth=True),
        "per class: copula, L-W, smoothed": per_class(tr, ytr, SYNTHETIC, rng, copula, corr="ledoit-wolf",
                                                      smooth=True),
        "per class: copula, 5 f., smoothed": per_class(tr, ytr, SYNTHETIC, rng, copula, corr="factors",
                                                       smooth=True),
        "per class: independent columns": per_class(tr, ytr, SYNTHETIC, rng, independent),
        "the training rows": (tr, ytr),
        "independent, all rows' values": (np.column_stack([rng.choice(X[:, j], SYNTHETIC) for j in range(d)]), None),
    }
    for name, (syn, drawn) in models.items():
        ratio = np.nan if drawn is None else accuracy(syn, drawn, ho, yho) / trtr
        results.setdefault(name, []).append((dcr(syn, sample, ho, scale), ratio, shapes(syn, tr)))
print("%s: %d rows, %d numeric columns, %d classes of %s; over %d 80/20 splits, mean (standard error)"
      % (path, n, d, len(np.unique(y)), target, SPLITS))
print("| rows | DCR share | TSTR/TRTR accuracy | column shapes |")
print("| --- | --- | --- | --- |")
for name, v in results.items():
    v = np.array(v)
    se = v.std(0) / np.sqrt(len(v))
    tstr = "-" if np.isnan(v[0, 1]) else "%.3f (%.3f)" % (v[:, 1].mean(), se[1])
    print("| %s | %.3f (%.3f) | %s | %.3f |" % (name, v[:, 0].mean(), se[0], tstr, v[:, 2].mean()))
