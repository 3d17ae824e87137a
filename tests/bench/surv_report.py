"""tests/bench/surv_report.py OUTDIR — the survival part of `make bench`:
rglit's and R's timings on the same rows (ratios R / rglit: above 1, rglit
is faster) and the agreement of their results. Exits 1 when BENCH_STRICT=1
and a check disagrees."""
import os
import sys

outdir = sys.argv[1]


def read_kv(name):
    kv = {}
    path = os.path.join(outdir, f"surv.{name}.kv")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(" ")
                kv[key] = value
    return kv


me, r = read_kv("rglit"), read_kv("R")
print(f"survival: {me.get('n', '?')} rows, {me.get('events', '?')} events, "
      f"10 covariates; best of {me.get('repeats', '?')} runs after a warm-up; {r.get('R', 'R did not run')}, "
      f"survival {r.get('survival', '?')}")
print(f"{'':30} {'rglit':>10} {'R':>10}  R / rglit")
for key, label in (("cox", "coxph, Efron (+ concordance)"), ("km", "survfit, 3 curves"),
                   ("logrank", "survdiff, 3 groups")):
    a, b = me.get(f"time.{key}"), r.get(f"time.{key}")
    ratio = f"{float(b) / float(a):.1f}x" if a and b and float(a) > 0 else "n/a"
    print(f"{label:30} {float(a) if a else float('nan'):>9.3f}s {float(b) if b else float('nan'):>9.3f}s  {ratio}")

problems = []


def agree(key, tol):
    a, b = me.get(key), r.get(key)
    if a is None or b is None:
        problems.append(f"{key}: missing")
        return
    a, b = float(a), float(b)
    if abs(a - b) > tol * max(1.0, abs(b)):
        problems.append(f"{key}: rglit {a!r}, R {b!r}")


if r:
    for j in range(1, 11):
        agree(f"cox.coef.{j}", 1e-6)
        agree(f"cox.se.{j}", 1e-6)
    for key in ("cox.loglik", "cox.score", "cox.concordance", "cox.iter"):
        agree(key, 1e-6)
    for g in range(3):
        agree(f"km.median.{g}", 0)
    agree("logrank.chisq", 1e-10)
    print("agreement with R: " + ("all results within tolerance (Cox 1e-6, log-rank 1e-10, medians exact)"
                                  if not problems else "; ".join(problems)))
if problems and os.environ.get("BENCH_STRICT") == "1":
    sys.exit(1)
