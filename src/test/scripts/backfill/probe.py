"""CPU of a process's threads (grouped by name, digits dropped) and of the machine, between two snapshots.
   probe.py snap PID FILE     (per thread: CPU ticks, run-queue wait ns; machine: busy and total ticks)
   probe.py diff FILE0 FILE1  (prints what changed in between)"""
import json, os, re, sys


def snap(pid, path):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = re.sub(r"[0-9]+$", "", open(f"/proc/{pid}/task/{tid}/comm").read().strip())
            stat = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
            wait = open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[1]
        except OSError:
            continue  # a thread that ended meanwhile
        t = threads.setdefault(name, [0, 0])
        t[0] += int(stat[11]) + int(stat[12])
        t[1] += int(wait)
    cpu = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    json.dump({"threads": threads, "busy": sum(cpu) - cpu[3] - cpu[4], "total": sum(cpu)}, open(path, "w"))


def diff(p0, p1):
    a, b = json.load(open(p0)), json.load(open(p1))
    hz = os.sysconf("SC_CLK_TCK")
    rows = []
    for name, (ticks, wait) in b["threads"].items():
        t0 = a["threads"].get(name, [0, 0])
        rows.append(((ticks - t0[0]) / hz, (wait - t0[1]) / 1e9, name))
    rows.sort(reverse=True)
    print("thread CPU s / run-queue wait s: " + "  ".join(f"{n}={c:.1f}/{w:.1f}" for c, w, n in rows if c >= 0.2)
          + f"  (process {sum(r[0] for r in rows):.1f} s)")
    print(f"machine busy {100 * (b['busy'] - a['busy']) / max(1, b['total'] - a['total']):.0f}%")


if __name__ == "__main__":
    snap(sys.argv[2], sys.argv[3]) if sys.argv[1] == "snap" else diff(sys.argv[2], sys.argv[3])
