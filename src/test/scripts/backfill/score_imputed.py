# Reads wide.imputed from a running service (run.sh calls it with SCORE=1) and scores every filled cell against the
# truth make_table.py drew, in units of each column's range, by the version that filled it (header ganstream.model):
# what a backfill was filled with. Usage: score_imputed.py WORK  (run.sh's working folder)
import sys, json, time, csv, math
import numpy as np
from confluent_kafka import Consumer
n = 200000
rows = list(csv.reader(open(sys.argv[1] + "/wide.csv")))
hdr, rows = rows[0], rows[1:]
# the truth, drawn as make_table.py draws it (same seed, same order)
rng = np.random.default_rng(7)
z = rng.standard_normal((n, 4)); load = rng.standard_normal((4, 26)); x = z @ load + 0.5 * rng.standard_normal((n, 26))
c = Consumer({"bootstrap.servers": "localhost:9092", "group.id": "chk%f" % time.time(), "auto.offset.reset": "earliest",
              "isolation.level": "read_committed"})
c.subscribe(["wide.imputed"])
index = {}
for r, src in enumerate(rows):
    index.setdefault(tuple(round(float(v), 4) if v != "" else None for v in src[:26]), r)
i = 0; stats = {}; bad = 0
rngs = x.max(0) - x.min(0)
deadline = time.time() + 300
while i < n and time.time() < deadline:
    for m in c.consume(num_messages=5000, timeout=0.5):
        if m.error(): continue
        rec = json.loads(m.value()); h = dict((k, v.decode()) for k, v in (m.headers() or []))
        model = h.get("ganstream.model", "?"); model = model if not model.startswith("gain-") else ("gain-%03d" % int(model[5:].split("-")[0]) if model[5:].split("-")[0].isdigit() and int(model[5:].split("-")[0]) < 100 else model)
        present = [rec.get(hdr[j]) for j in range(26)]
        filled = set(h.get("ganstream.imputed", "").split(","))
        probe = tuple(None if hdr[j] in filled or present[j] is None else round(float(present[j]), 4) for j in range(26))
        r = index.get(probe)
        if r is None:
            bad += 1; i += 1; continue
        src = rows[r]
        for j in range(26):
            if src[j] == "":
                v = rec.get(hdr[j])
                if v is None: continue
                e = (float(v) - x[r, j]) / rngs[j]
                s = stats.setdefault(model, [0.0, 0, 0.0]); s[0] += e * e; s[1] += 1
                em = (0 - x[r, j]) / rngs[j]; s[2] += em * em
        i += 1
print("records", i, "unmatched", bad)
for k in sorted(stats):
    s = stats[k]; print("%-10s cells %7d rmse %.4f  (zero-mean baseline %.4f)" % (k, s[1], math.sqrt(s[0] / s[1]), math.sqrt(s[2] / s[1])))
