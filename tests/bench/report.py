"""tests/bench/report.py OUTDIR — the table and the agreement checks of
`make bench`, from the files bench_screen (rglit), screen.R (R) and
screen.py (numpy) wrote into OUTDIR. Ratios are other / rglit: above 1,
rglit is faster. Exits 1 when BENCH_STRICT=1 and a check disagrees."""
import math
import os
import sys

outdir = sys.argv[1]
PROGS = ("rglit", "R", "numpy")
NPERM = 1000
TOL_R = 1e-12      # absolute, on r
TOL_P = 1e-9       # relative, on p and p_adj


def read_kv(name):
    path = os.path.join(outdir, f"{name}.kv")
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(" ")
                kv[key] = value
    return kv


KV = {p: read_kv(p) for p in PROGS}
problems = []


def num(prog, key):
    try:
        return float(KV[prog][key])
    except (KeyError, ValueError):
        return None


def fsec(t):
    if t is None:
        return "n/a"
    return f"{t:.3f} s" if t < 10 else f"{t:.1f} s"


def fmb(m):
    return "n/a" if m is None else f"{m:.0f} MB"


def ratio(t, ref):
    if t is None or ref is None or ref <= 0:
        return ""
    return f"({t / ref:.1f}x)"


# ---- header ------------------------------------------------------------------
k = KV["rglit"] if KV["rglit"] else (KV["R"] or KV["numpy"])
print(f"data: {k.get('n', '?')} samples (IDs {k.get('ids', '?')}), "
      f"{k.get('p', '?')} radiomic features x {k.get('q', '?')} genes = "
      f"{k.get('pearson.pairs', '?')} pairs; best of {k.get('repeats', '?')} runs after a warm-up")
for p in PROGS:
    print(f"  {p:<6} {KV[p].get('blas', 'did not run')}")
print("  ratios: other / rglit (above 1: rglit faster); MB: peak RSS (VmHWM) of the process "
      "during that step, data and interpreter included")
if any(KV[p].get("rss.reset_ok") == "0" for p in PROGS if KV[p]):
    print("  (/proc/self/clear_refs not writable: per-step peaks are cumulative)")
print()

# ---- the table ---------------------------------------------------------------
ROWS = [
    # label, rglit key, R/numpy key, bare key, bare label
    ("read 2 csv files", "read", "read", None, None),
    ("screen pearson+BH", "pearson", "pearson", "std_dgemm", "std+dgemm"),
    ("  threads=1", "pearson_t1", "pearson", "std_dgemm_t1", "std+dgemm"),
    ("screen spearman+BH", "spearman", "spearman", "rank_std_dgemm", "rank+std+dgemm"),
    ("  threads=1", "spearman_t1", "spearman", None, None),
    ("perm 1000 x 1522", "perm", "perm", None, None),
    ("  threads=1", "perm_t1", "perm", None, None),
]


def cell(prog, key, ref):
    t = num(prog, f"time.{key}")
    m = num(prog, f"rss.{key}")
    if prog == "rglit":
        return f"{prog} {fsec(t):>8} {fmb(m):>7}"
    return f"{prog} {fsec(t):>8} {ratio(t, ref):>8} {fmb(m):>7}"


for label, kc, ko, kb, lb in ROWS:
    ref = num("rglit", f"time.{kc}")
    parts = [f"{label:<20}", cell("rglit", kc, None), cell("R", ko, ref), cell("numpy", ko, ref)]
    if kb:
        tb = num("rglit", f"time.{kb}")
        rb = f"(rglit/bare {ref / tb:.1f}x)" if ref and tb else ""
        parts.append(f"bare {lb} {fsec(tb)} {rb}")
    print("   ".join(parts))
td, td1 = num("rglit", "time.dgemm"), num("rglit", "time.dgemm_t1")
parts = [(lbl, num("rglit", f"time.{key}")) for lbl, key in
         (("without BH", "pearson_noadj"), ("cormat_pvalues", "pvalues"),
          ("padjust BH", "padjust_bh"))]
if any(t is not None for _, t in parts):
    print(f"{'  pearson parts':<20}   rglit " + ", ".join(f"{lbl} {fsec(t)}" for lbl, t in parts)
          + f" (of {fsec(num('rglit', 'time.pearson'))}; over all pairs, 2 threads)")
print(f"{'bare dgemm only':<20}   rglit {fsec(td):>8} (OpenBLAS default threads), {fsec(td1)} "
      f"(1 thread); {k.get('p', '?')}x{k.get('n', '?')} by {k.get('n', '?')}x{k.get('q', '?')}, "
      "output preallocated")
print()
print("peak RSS, whole process (VmHWM): " + ", ".join(
    f"{p} {fmb(num(p, 'rss.peak'))}" for p in PROGS)
    + "; after loading the data: " + ", ".join(f"{p} {fmb(num(p, 'rss.loaded'))}" for p in PROGS))
rg = num("rglit", "rss.getrusage")
if rg is not None:
    print(f"  rglit getrusage ru_maxrss: {rg:.0f} MB")
print()


# ---- agreement ------------------------------------------------------------------
def load_pairs(prog, name):
    path = os.path.join(outdir, f"{prog}_{name}.txt")
    if not os.path.exists(path):
        return None
    out = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            out[int(w[0])] = tuple(math.nan if x == "NA" else float(x) for x in w[1:])
    return out


def rel(a, b):
    m = max(abs(a), abs(b))
    return 0.0 if m == 0 else abs(a - b) / m


def compare(a, b, keys):
    """max |r| diff, max p rel diff, max p_adj rel diff, NaN mismatches."""
    dr = dp = dq = 0.0
    nan_mismatch = 0
    for key in keys:
        x, y = a[key], b[key]
        if math.isnan(x[0]) != math.isnan(y[0]) or math.isnan(x[2]) != math.isnan(y[2]):
            nan_mismatch += 1
            continue
        if math.isnan(x[0]):
            continue
        dr = max(dr, abs(x[0] - y[0]))
        dp = max(dp, rel(x[1], y[1]))
        dq = max(dq, rel(x[2], y[2]))
    return dr, dp, dq, nan_mismatch


def flag(ok, what):
    if not ok:
        problems.append(what)
    return "" if ok else "   <-- DISAGREE"


for name in ("pearson", "spearman"):
    counts = {p: KV[p].get(f"{name}.kept") for p in PROGS}
    nans = {p: KV[p].get(f"{name}.n_nan") for p in PROGS}
    print(f"{name}: NaN pairs " + ", ".join(f"{p} {nans[p]}" for p in PROGS)
          + "; kept (BH p < 0.05 and |r| > 0.5) " + ", ".join(f"{p} {counts[p]}" for p in PROGS))
    res = {p: (load_pairs(p, f"{name}_kept"), load_pairs(p, f"{name}_sample")) for p in PROGS}
    # R and numpy against rglit; R against numpy checks the two references
    for other, base in (("R", "rglit"), ("numpy", "rglit"), ("numpy", "R")):
        (bk, bs), (ok_, os_) = res[base], res[other]
        if bk is None or bs is None or ok_ is None or os_ is None:
            miss = base if bk is None or bs is None else other
            print(f"  {other} vs {base}: {miss} results missing"
                  f"{flag(False, f'{name}: {miss} results missing')}")
            continue
        only_b, only_o = set(bk) - set(ok_), set(ok_) - set(bk)
        same_kept = not only_b and not only_o
        kept_txt = (f"{len(bk)} pairs kept by each, the same pairs" if same_kept else
                    f"kept sets differ: {len(only_b)} only in {base}, {len(only_o)} only in {other}")
        both = sorted(set(bk) & set(ok_))
        if set(bs) != set(os_):
            print(f"  {other} vs {base}: sampled pairs differ{flag(False, f'{name}: sample keys')}")
            continue
        dr, dp, dq, nm = compare(bs, os_, sorted(bs))
        kr, kp, kq, km = compare(bk, ok_, both)
        dr, dp, dq, nm = max(dr, kr), max(dp, kp), max(dq, kq), nm + km
        good = same_kept and nm == 0 and dr <= TOL_R and dp <= TOL_P and dq <= TOL_P \
            and KV[base].get(f"{name}.n_nan") == KV[other].get(f"{name}.n_nan")
        verb = "agree" if good else "DISAGREE"
        print(f"  {other} and {base} {verb}: {kept_txt}; on {len(bs)} sampled + {len(both)} kept "
              f"pairs max |r| diff {dr:.1g}, max p relative diff {dp:.1g}, "
              f"max p_adj relative diff {dq:.1g}, NaN mismatches {nm}"
              f"{flag(good, f'{name}: {other} vs {base}')}")
    if not KV["rglit"]:
        continue
    t12 = KV["rglit"].get(f"{name}.t1_eq_t2")
    line = f"  rglit threads=1 and threads=2 results bit-identical: {'yes' if t12 == '1' else 'NO'}"
    line += flag(t12 == "1", f"{name}: threads")
    if name == "pearson":
        bd = num("rglit", "pearson.bare_maxdiff")
        line += f"; cormat r vs bare std+dgemm r: max |diff| {bd:.1g}" if bd is not None else ""
        if bd is not None:
            line += flag(bd <= 1e-10, "pearson: cormat vs bare dgemm")
    print(line)

# permutations: different generators, so the p-values differ by Monte-Carlo error
gene = next((KV[p]["perm.gene"] for p in PROGS if "perm.gene" in KV[p]), "?")
print(f"perm ({NPERM} permutations of gene {gene}, seed 1 in each program's own generator):")
perm = {p: load_pairs(p, "perm") for p in PROGS}
n05 = {p: (sum(1 for v in perm[p].values() if not math.isnan(v[1]) and v[1] < 0.05)
           if perm[p] else None) for p in PROGS}
print("  features with permutation p < 0.05: " + ", ".join(f"{p} {n05[p]}" for p in PROGS))
for other, base in (("R", "rglit"), ("numpy", "rglit"), ("numpy", "R")):
    bp, op = perm[base], perm[other]
    if bp is None or op is None:
        miss = base if bp is None else other
        print(f"  {other} vs {base}: {miss} results missing"
              f"{flag(False, f'perm: {miss} results missing')}")
        continue
    dr, zmax, dmean, cnt, nm = 0.0, 0.0, 0.0, 0, 0
    for i, x in bp.items():
        y = op[i]
        if math.isnan(x[0]) != math.isnan(y[0]) or math.isnan(x[1]) != math.isnan(y[1]):
            nm += 1
            continue
        if math.isnan(x[0]):
            continue
        dr = max(dr, abs(x[0] - y[0]))
        pbar = (x[1] + y[1]) / 2
        se = math.sqrt(max(pbar * (1 - pbar), 1.0 / NPERM) * 2.0 / NPERM)
        zmax = max(zmax, abs(x[1] - y[1]) / se)
        dmean += abs(x[1] - y[1])
        cnt += 1
    dmean /= max(cnt, 1)
    # the largest |z| of cnt about normal differences stays below sqrt(2 ln cnt) + 2
    zlim = math.sqrt(2 * math.log(max(cnt, 2))) + 2
    good = dr <= TOL_R and nm == 0 and zmax <= zlim
    print(f"  {other} and {base} {'agree' if good else 'DISAGREE'}: observed r max |diff| "
          f"{dr:.1g}; p-values mean |diff| {dmean:.4f}, max |z| {zmax:.2f} over {cnt} "
          f"features (Monte-Carlo error if below {zlim:.1f}); NaN mismatches {nm}"
          f"{flag(good, f'perm: {other} vs {base}')}")
if KV["rglit"]:
    t12 = KV["rglit"].get("perm.t1_eq_t2")
    pc = num("rglit", "perm.r_vs_cormat_maxdiff")
    print(f"  rglit threads=1 and threads=2 bit-identical: {'yes' if t12 == '1' else 'NO'}"
          f"{flag(t12 == '1', 'perm: threads')}; observed r vs cormat r: max |diff| "
          f"{pc if pc is None else format(pc, '.1g')}"
          f"{flag(pc is not None and pc <= 1e-10, 'perm: r vs cormat')}")

print()
if problems:
    print(f"agreement: {len(problems)} check(s) DISAGREE: " + "; ".join(problems))
    sys.exit(1 if os.environ.get("BENCH_STRICT") == "1" else 0)
print("agreement: all checks agree")
