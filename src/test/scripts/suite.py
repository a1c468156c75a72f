#!/usr/bin/python3
"""The public suite (../shared/data/suite) through the real pipeline, beside the peers' figures.

  suite.py impute [--tables a,b] [--work DIR] [--jar target/ganstream.jar]
      For every table: a JSON Schema inferred from the CSV (numbers, whole numbers, enums), the seed-1 20% MCAR
      mask of impute_peers.py (the same mask the peers were scored on), then the bulk-load protocol through
      `bench impute --passes 2`: the masked file produced once at full speed, the models' `converged` state
      awaited, the file streamed once more and that pass scored. Prints one table with kNN, MICE and
      MissForest-like from the suite's peers.json.
  suite.py synth [--tables a,b] [--repeat N] [--seeds 1-10] ...
      For every table with a target: `bench synth --passes 1` (its own seeded 80/20 split; the 80% produced once at
      full speed, both models' `converged` state awaited), beside the same run's Gaussian copula. With --repeat N
      each table runs N times and the table shows medians and the TSTR spread: the bulk-load protocol's timing
      moves TSTR/TRTR on the small tables by up to 0.1 from one run to the next. --seeds runs each table on the
      80/20 splits of those seeds (default 1, the suite's split; "2-11" or "1,5,9"), and prints the means of
      TSTR/TRTR and the DCR share over the runs: on a table of a few hundred rows one split's test rows decide
      them (sonar: 42 rows, 0.027 of TSTR/TRTR each).
  suite.py schemas --out DIR
      Only writes the inferred schemas.
  --suite DIR runs the same on the CSV files of another directory (tables unseen while tuning): targets from its
      targets.json ({"table": "column"}), peers from its peers.json where it has them, else impute_peers.py
      runs kNN, MICE and MissForest-like on the same mask; TABLE.schema.json beside a CSV replaces the inferred schema.

Needs python3-pandas and python3-sklearn (Debian packages) and a built jar.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SUITE = os.path.abspath(os.path.join(REPO, "..", "shared", "data", "suite"))
BENCH = os.path.abspath(os.path.join(REPO, "..", "shared", "bench"))
TABLES = ["concrete", "satellite", "vehicle", "spam", "shuttle", "sonar", "diamonds", "credit", "telco", "attrition"]


def infer_schema(csv):
    import pandas as pd
    df = pd.read_csv(csv)
    props = {}
    for c in df.columns:
        col = df[c]
        if pd.api.types.is_numeric_dtype(col):
            values = col.dropna()
            whole = len(values) > 0 and (values == values.round()).all()
            props[c] = {"type": "integer" if whole else "number"}
        else:
            cats = sorted(str(v) for v in col.dropna().unique())
            props[c] = {"type": "string", "enum": cats}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": props}


def suite_tables():
    """The tables of SUITE: the public suite's ten in their order, else every CSV file of the directory."""
    if os.path.exists(os.path.join(SUITE, "make_suite.R")):
        return TABLES
    return sorted(f[:-4] for f in os.listdir(SUITE) if f.endswith(".csv"))


def targets():
    """Target column by table: the public suite's, else the directory's targets.json."""
    path = os.path.join(SUITE, "targets.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return TARGETS


def schemas(work, tables, synthesis=True, name_target=False):
    """Inferred schemas; without synthesis (syntheticPerRecord 0) only the imputer trains, as the impute run wants;
    with name_target each schema names its table's target under x-ganstream (what a user training a classifier on
    the synthetic records would set)."""
    os.makedirs(work, exist_ok=True)
    out = {}
    for t in tables:
        path = os.path.join(work, t + ".schema.json")
        given = os.path.join(SUITE, t + ".schema.json")
        if os.path.exists(given):  # a schema the directory brings (carried text, dates), else one inferred
            with open(given) as f:
                schema = json.load(f)
        else:
            schema = infer_schema(os.path.join(SUITE, t + ".csv"))
        if not synthesis:
            schema["x-ganstream"] = {"syntheticPerRecord": 0}
        if name_target:
            schema.setdefault("x-ganstream", {})["target"] = targets()[t]
        with open(path, "w") as f:
            json.dump(schema, f, indent=1)
        out[t] = path
    return out


def prepare_masks(table, out_dir, seed=1, rate=0.2):
    """impute_peers.py prepare's mask, without running the peers (their figures are in peers.json)."""
    sys.path.insert(0, BENCH)
    import impute_peers
    import numpy as np
    import pandas as pd
    df = pd.read_csv(os.path.join(SUITE, table + ".csv"))
    cols = impute_peers.numeric_columns(df, None)
    df = df.dropna(subset=cols).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    mask = rng.random((len(df), len(cols))) < rate
    masked = df.copy()
    values = masked[cols].to_numpy(dtype=float)
    values[mask] = np.nan
    masked[cols] = values
    os.makedirs(out_dir, exist_ok=True)
    df.to_csv(os.path.join(out_dir, "truth.csv"), index=False)
    masked.to_csv(os.path.join(out_dir, "masked.csv"), index=False)


def score(out_dir, filled):
    r = subprocess.run([sys.executable, os.path.join(BENCH, "impute_peers.py"), "score", "--dir", out_dir,
                        "--imputed", filled], capture_output=True, text=True)
    m = re.search(r"rmse ([0-9.]+)", r.stdout)
    if not m:
        raise RuntimeError("score failed: " + r.stdout + r.stderr)
    return float(m.group(1))


def peers():
    path = os.path.join(SUITE, "peers.json")
    if not os.path.exists(path):
        return {"imputation": {"results": []}}
    with open(path) as f:
        return json.load(f)


def run_peers(table, out_dir):
    """kNN, MICE and MissForest-like on the seed-1 mask (impute_peers.py prepare writes the same mask)."""
    r = subprocess.run([sys.executable, os.path.join(BENCH, "impute_peers.py"), "prepare", "--in",
                        os.path.join(SUITE, table + ".csv"), "--out-dir", out_dir, "--seed", "1"],
                       capture_output=True, text=True, check=True)
    found = dict(re.findall(r"^(knn|mice|missforest)\s+([0-9.]+)", r.stdout, re.M))
    return {"dataset": table, "rmse": {k: float(v) for k, v in found.items()}}


def impute_peer(p, table, method):
    """A peer's RMSE from peers.json (method: knn, mice, missforest)."""
    for r in p["imputation"]["results"]:
        if r["dataset"] == table:
            return float(r["rmse"][method])
    return float("nan")


def run_impute(a):
    tables = a.tables.split(",") if a.tables else suite_tables()
    paths = schemas(os.path.join(a.work, "schemas"), tables, synthesis=False)
    p = peers()
    rows = []
    for t in tables:
        d = os.path.join(a.work, t)
        if any(r["dataset"] == t for r in p["imputation"]["results"]):
            prepare_masks(t, d)
        else:
            p["imputation"]["results"].append(run_peers(t, d))
        filled = os.path.join(d, "filled.csv")
        t0 = time.time()
        log = os.path.join(d, "bench.log")
        with open(log, "w") as f:
            subprocess.run(["java", "-jar", a.jar, "bench", "impute", "--dataset", t, "--schema", paths[t],
                            "--masked", os.path.join(d, "masked.csv"), "--truth", os.path.join(d, "truth.csv"),
                            "--passes", str(a.passes), "--out", filled], stdout=f, stderr=subprocess.STDOUT,
                           check=True)
        ours = score(d, filled)
        secs = time.time() - t0
        knn, mice, mf = (impute_peer(p, t, m) for m in ("knn", "mice", "missforest"))
        rows.append((t, ours, knn, mice, mf, secs))
        print("%-10s ganstream %.4f  kNN %.4f  MICE %.4f  MF %.4f  (%.0f s)" % (t, ours, knn, mice, mf, secs),
              flush=True)
    print()
    print("| table | ganstream | kNN | MICE | MissForest-like | ganstream / MF | below kNN | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios = []
    for t, ours, knn, mice, mf, secs in rows:
        ratios.append(ours / mf)
        print("| %s | %.4f | %.4f | %.4f | %.4f | %.3f | %s | %.0f |" % (t, ours, knn, mice, mf, ours / mf,
                                                                        "yes" if ours < knn else "no", secs))
    print("| mean ratio to MissForest-like | | | | | %.3f | | |" % (sum(ratios) / len(ratios)))


TARGETS = {"satellite": "classes", "vehicle": "Class", "spam": "type", "shuttle": "Class", "sonar": "Class",
           "diamonds": "cut", "credit": "Status", "telco": "churn", "attrition": "Attrition"}


def bench_synth_once(a, t, schema, log, seed=1):
    """One `bench synth` run of table t on the split of seed into log; its RESULT lines by source."""
    with open(log, "w") as f:
        subprocess.run(["java", "-jar", a.jar, "bench", "synth", "--dataset", t, "--schema", schema,
                        "--file", os.path.join(SUITE, t + ".csv"), "--target", targets()[t],
                        "--passes", str(a.passes - 1 if a.passes > 1 else 1), "--seed", str(seed)], stdout=f,
                       stderr=subprocess.STDOUT, check=True)
    res = {}
    with open(log) as f:
        for line in f:
            if line.startswith("RESULT"):
                kv = dict(x.split("=", 1) for x in line.split()[1:])
                res[kv["source"]] = kv
    return res


def median(values):
    v = sorted(float(x) for x in values if x is not None)
    if not v:
        return None
    m = len(v) // 2
    return "%.4f" % (v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2)


def seeds(text):
    """The split seeds of --seeds: "1", "2-11", "1,5,9"."""
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    if not out:
        raise ValueError("no seed in --seeds " + text)
    return out


def mean_se(values):
    v = [float(x) for x in values if x is not None]
    if len(v) < 2:
        return "-"
    m = sum(v) / len(v)
    sd = (sum((x - m) ** 2 for x in v) / (len(v) - 1)) ** 0.5
    return "%.3f (%.3f)" % (m, sd / len(v) ** 0.5)


def spread(values):
    v = [float(x) for x in values if x is not None]
    return "%.3f-%.3f" % (min(v), max(v)) if v else "-"


def run_synth(a):
    """Each table a.repeat times (one run moves TSTR on the small tables by up to 0.1): medians, and the spread."""
    tables = a.tables.split(",") if a.tables else list(targets())
    paths = schemas(os.path.join(a.work, "schemas-synth"), tables, synthesis=True, name_target=a.name_target)
    rows = []
    for t in tables:
        d = os.path.join(a.work, "synth-" + t)
        os.makedirs(d, exist_ok=True)
        runs = []
        t0 = time.time()
        plan = [(seed, r) for seed in seeds(a.seeds) for r in range(a.repeat)]
        for seed, r in plan:
            log = os.path.join(d, "bench.log" if len(plan) == 1 else
                               "bench-%d.log" % (r + 1) if seed == 1 else "bench-seed%d-%d.log" % (seed, r + 1))
            res = bench_synth_once(a, t, paths[t], log, seed)
            g, c = res.get("ganstream", {}), res.get("gaussian-copula", {})
            # tables with incomplete rows: quality against all training rows too (bench synth prints it then)
            g["quality_all_rows"] = res.get("ganstream-all-rows", {}).get("quality")
            c["quality_all_rows"] = res.get("gaussian-copula-all-rows", {}).get("quality")
            runs.append((g, c))
            print("%-10s ganstream quality %s tstr %s (macro-F1 %s) auc %s | copula quality %s tstr %s (macro-F1 %s)"
                  " (split %d, run %d, %.0f s)" % (t, g.get("quality"), g.get("tstr_ratio"), g.get("tstr_f1_ratio"),
                                                   g.get("detection_auc"), c.get("quality"), c.get("tstr_ratio"),
                                                   c.get("tstr_f1_ratio"), seed, r + 1, time.time() - t0), flush=True)
        g = {k: median([run[0].get(k) for run in runs]) for k in runs[0][0] if k not in ("dataset", "source")}
        c = {k: median([run[1].get(k) for run in runs]) for k in runs[0][1] if k not in ("dataset", "source")}
        g["tstr_spread"] = spread([run[0].get("tstr_ratio") for run in runs])
        g["tstr_f1_spread"] = spread([run[0].get("tstr_f1_ratio") for run in runs])
        for k in ("tstr_ratio", "tstr_f1_ratio", "dcr_share"):
            g[k + "_mean"] = mean_se([run[0].get(k) for run in runs])
            c[k + "_mean"] = mean_se([run[1].get(k) for run in runs])
        rows.append((t, g, c, (time.time() - t0) / len(plan)))
    print()
    runs_per_table = len(seeds(a.seeds)) * a.repeat
    if runs_per_table > 1:
        print("Medians of %d runs per table (splits %s, %d run(s) each); TSTR/TRTR spreads are min-max over the runs."
              % (runs_per_table, a.seeds, a.repeat))
    print("| table | quality (copula) | pair trends (copula) | detection AUC | TSTR/TRTR accuracy (copula) "
          "| TSTR/TRTR macro-F1 (copula) | DCR share | copies | seconds |" + (" spread: accuracy, macro-F1 |"
                                                                           if runs_per_table > 1 else ""))
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |" + (" --- |" if runs_per_table > 1 else ""))
    for t, g, c, secs in rows:
        print("| %s | %s (%s) | %s (%s) | %s | %s (%s) | %s (%s) | %s | %s | %.0f |" % (
            t, g.get("quality"), c.get("quality"), g.get("pairs"), c.get("pairs"), g.get("detection_auc"),
            g.get("tstr_ratio"), c.get("tstr_ratio"), g.get("tstr_f1_ratio"), c.get("tstr_f1_ratio"),
            g.get("dcr_share"), g.get("copies"), secs)
              + (" %s, %s |" % (g["tstr_spread"], g["tstr_f1_spread"]) if runs_per_table > 1 else ""))
    if runs_per_table > 1:
        print()
        print("Means over the runs (standard error), ganstream (copula):")
        for t, g, c, secs in rows:
            print("%s: TSTR/TRTR accuracy %s (%s), macro-F1 %s (%s), DCR share %s (%s)" % (
                t, g["tstr_ratio_mean"], c["tstr_ratio_mean"], g["tstr_f1_ratio_mean"], c["tstr_f1_ratio_mean"],
                g["dcr_share_mean"], c["dcr_share_mean"]))
    for t, g, c, secs in rows:
        if g.get("quality_all_rows"):
            print("%s has incomplete rows; the figures above are on its complete ones. Against all its training rows"
                  " (observed cells): quality %s (copula %s)" % (t, g["quality_all_rows"], c.get("quality_all_rows")))


def main():
    global SUITE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("impute", "synth", "schemas"):
        s = sub.add_parser(name)
        s.add_argument("--tables")
        s.add_argument("--suite", default=SUITE, help="a directory of CSV files instead of the public suite")
        s.add_argument("--work", default="/tmp/ganstream-suite")
        s.add_argument("--jar", default=os.path.join(REPO, "target", "ganstream.jar"))
        s.add_argument("--passes", type=int, default=2, help="2 = the bulk-load protocol")
        s.add_argument("--out")
        s.add_argument("--repeat", type=int, default=1,
                       help="synth: runs per table; the table shows medians and the TSTR spread")
        s.add_argument("--seeds", default="1",
                       help="synth: the 80/20 splits, by seed (\"2-11\", \"1,5,9\"); the suite's is 1")
        s.add_argument("--no-target", dest="name_target", action="store_false",
                       help="synth: leave the target unnamed in the schemas (by default x-ganstream.target names "
                            "it, as a user training a classifier on the synthetic records would)")
    a = ap.parse_args()
    SUITE = os.path.abspath(a.suite)
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    try:
        seeds(a.seeds)
    except ValueError:
        ap.error("--seeds takes seeds and ranges: 1 or 2-11 or 1,5,9, not " + a.seeds)
    if a.cmd == "schemas":
        schemas(a.out or a.work, a.tables.split(",") if a.tables else suite_tables())
    elif a.cmd == "synth":
        run_synth(a)
    else:
        run_impute(a)


if __name__ == "__main__":
    main()
