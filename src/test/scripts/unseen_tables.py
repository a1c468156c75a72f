#!/usr/bin/python3
"""Tables nobody tuned on, for `suite.py --suite DIR`: a check that the rules tuned on the public suite carry over.

  unseen_tables.py --out DIR [--seaborn DIR]

Writes five tables from scikit-learn's bundled datasets (no download: breast_cancer 569 x 31, wine 178 x 14, iris
150 x 5, diabetes 442 x 11 with a numeric target, digits 1797 x 65 of 8x8 pixel counts 0-16, many of them constant)
and movies (../shared/data/movies.csv, 3201 x 16: free-text title, dates, a 550-category director, heavy real
missingness) with its own schema (title carried, release date as a date), plus targets.json for the synthesis run.
With --seaborn, also four tables from a copy of github.com/mwaskom/seaborn-data's CSV files (`fetch
github:mwaskom/seaborn-data`, then `git --git-dir MIRROR archive HEAD | tar -x -C DIR`): taxis 6433 x 14 (trip times
as date-times, 194 pickup and 203 dropoff zones), titanic 891 x 15 (booleans as 0/1), planets 1035 x 6 (half the
masses missing) and mpg 398 x 9 (a 305-value car name left as a category, as an inferred schema makes it).
Needs python3-sklearn and python3-pandas.
"""
import argparse
import json
import os

import suite

HERE = os.path.dirname(os.path.abspath(__file__))
MOVIES = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "movies.csv"))


def column(name):
    return name.replace(" ", "_").replace("(", "").replace(")", "").replace("/", "_")


def bundled(out):
    import pandas as pd
    from sklearn import datasets
    made = {}
    for name, load, target in (("breast_cancer", datasets.load_breast_cancer, "diagnosis"),
                               ("wine", datasets.load_wine, "cultivar"),
                               ("iris", datasets.load_iris, "species")):
        b = load()
        df = pd.DataFrame(b.data, columns=[column(c) for c in b.feature_names])
        df[target] = [str(b.target_names[i]) for i in b.target]
        made[name] = (df, target)
    d = datasets.load_diabetes(scaled=False)
    df = pd.DataFrame(d.data, columns=[column(c) for c in d.feature_names])
    df["progression"] = d.target
    made["diabetes"] = (df, None)
    g = datasets.load_digits()
    df = pd.DataFrame(g.data.astype(int), columns=["p%d" % i for i in range(g.data.shape[1])])
    df["digit"] = ["d%d" % t for t in g.target]
    made["digits"] = (df, "digit")
    for name, (df, _) in made.items():
        df.to_csv(os.path.join(out, name + ".csv"), index=False)
    return {name: target for name, (_, target) in made.items() if target}


def movies(out):
    import pandas as pd
    df = pd.read_csv(MOVIES)
    df.columns = [column(c) for c in df.columns]
    df["Release_Date"] = pd.to_datetime(df["Release_Date"], format="%b %d %Y").dt.strftime("%Y-%m-%d")
    df.to_csv(os.path.join(out, "movies.csv"), index=False)
    schema = suite.infer_schema(os.path.join(out, "movies.csv"))
    schema["properties"]["Title"] = {"type": "string"}  # free text: carried
    schema["properties"]["Release_Date"] = {"type": "string", "format": "date"}
    with open(os.path.join(out, "movies.schema.json"), "w") as f:
        json.dump(schema, f, indent=1)
    return {"movies": "MPAA_Rating"}


def seaborn(src, out):
    import pandas as pd
    taxis = pd.read_csv(os.path.join(src, "taxis.csv"))
    for c in ("pickup", "dropoff"):
        taxis[c] = pd.to_datetime(taxis[c]).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    taxis.to_csv(os.path.join(out, "taxis.csv"), index=False)
    schema = suite.infer_schema(os.path.join(out, "taxis.csv"))
    for c in ("pickup", "dropoff"):
        schema["properties"][c] = {"type": "string", "format": "date-time"}
    with open(os.path.join(out, "taxis.schema.json"), "w") as f:
        json.dump(schema, f, indent=1)
    titanic = pd.read_csv(os.path.join(src, "titanic.csv"))
    for c in ("adult_male", "alone"):
        titanic[c] = titanic[c].astype(int)
    titanic.to_csv(os.path.join(out, "titanic.csv"), index=False)
    for name in ("planets", "mpg"):
        pd.read_csv(os.path.join(src, name + ".csv")).to_csv(os.path.join(out, name + ".csv"), index=False)
    return {"taxis": "payment", "titanic": "alive", "planets": "method", "mpg": "origin"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seaborn", help="a directory with seaborn-data's taxis, titanic, planets and mpg CSV files")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    targets = bundled(a.out)
    targets.update(movies(a.out))
    if a.seaborn:
        targets.update(seaborn(a.seaborn, a.out))
    with open(os.path.join(a.out, "targets.json"), "w") as f:
        json.dump(targets, f, indent=1)
    print("wrote %s: %s" % (a.out, ", ".join(sorted(targets) + ["diabetes"])))


if __name__ == "__main__":
    main()
