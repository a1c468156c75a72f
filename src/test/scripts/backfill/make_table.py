# The 30-column table of run.sh: 200,000 rows, 26 correlated numbers and 4 categories, 10% of cells missing (seeded).
import numpy as np, json
rng = np.random.default_rng(7)
n, k = 200_000, 26
z = rng.standard_normal((n, 4))
load = rng.standard_normal((4, k))
x = z @ load + 0.5 * rng.standard_normal((n, k))
cats = {"c%d" % i: ["a", "b", "c", "d"][: 2 + i % 3] for i in range(4)}
cols = ["x%d" % j for j in range(k)] + list(cats)
with open("wide.csv", "w") as f:
    f.write(",".join(cols) + "\n")
    # each category follows one latent factor, so the numbers tell it
    cv = [np.array(v)[np.minimum((z[:, i % 4] > 0).astype(int) + (z[:, i % 4] > 1).astype(int), len(v) - 1)]
          for i, v in enumerate(cats.values())]
    miss = rng.random((n, k + 4)) < 0.1
    for r in range(n):
        vals = ["%.4f" % x[r, j] for j in range(k)] + [cv[i][r] for i in range(4)]
        f.write(",".join("" if miss[r, j] else vals[j] for j in range(k + 4)) + "\n")
schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
          "properties": {**{"x%d" % j: {"type": "number"} for j in range(k)},
                         **{c: {"type": "string", "enum": v} for c, v in cats.items()}}}
json.dump(schema, open("wide.schema.json", "w"), indent=1)
