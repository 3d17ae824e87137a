#!/bin/sh
# tests/bench/run.sh — `make bench`: rglit against R (and NumPy/SciPy) doing
# the same work on the same data, in one run.
#
# 1. Correlation screens on the NSCLC radiogenomics n44 pair (1522 radiomic
#    features, 5159 genes) in ../shared/data/nsclc-radiogenomics relative to
#    the repository root, or $BENCH_DATA; skipped when it is absent.
# 2. Survival: Cox (Efron, 10 covariates), Kaplan-Meier and log-rank on
#    100,000 simulated rows that build/bench_surv (tests/bench/bench_surv.c)
#    generates and writes as CSV for tests/bench/surv.R; the table and the
#    agreement come from tests/bench/surv_report.py.
# Installs the missing Debian packages of vendor/debian-packages.txt and
# vendor/bench-packages.txt (R, NumPy, SciPy), builds build/bench_screen, runs
#   build/bench_screen   (tests/bench/bench_screen.c, the engine's C API)
#   Rscript              tests/bench/screen.R
#   /usr/bin/python3     tests/bench/screen.py  (Debian's numpy and scipy)
# into build/bench/, then prints the table and the agreement checks
# (tests/bench/report.py).
#
# Environment: BENCH_DATA (data folder), BENCH_REPEATS (timed runs after the
# warm-up, default 3), BENCH_STRICT=1 (exit 1 when the programs' results
# disagree), MAKE.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

data=${BENCH_DATA:-$root/../shared/data/nsclc-radiogenomics}
a=$data/Lung_radiomic_features_new_cohort_n44.csv
b=$data/Lung_gene_expression_new_cohort_n44.csv
screen=1
if [ ! -r "$a" ] || [ ! -r "$b" ]; then
    echo "bench: correlation screen skipped: the NSCLC radiogenomics data is not in $data"
    screen=0
fi
repeats=${BENCH_REPEATS:-3}

./vendor/install-deps.sh
./vendor/install-deps.sh vendor/bench-packages.txt
${MAKE:-make} --no-print-directory build/bench_screen build/bench_surv

out=build/bench
rm -rf "$out"
mkdir -p "$out"
RSCRIPT=/usr/bin/Rscript
PYTHON=/usr/bin/python3 # Debian's, whose numpy and scipy bench-packages.txt installs

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
echo "bench: $(nproc) CPUs (${cpu:-unknown}); data $data; results in $out/"

failed=""
run() { # name, command...
    name=$1
    shift
    rc=0
    "$@" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "bench: $name failed (exit status $rc)" >&2
        failed="$failed $name"
    fi
}
status=0
if [ "$screen" = 1 ]; then
    run rglit build/bench_screen "$a" "$b" "$out" "$repeats"
    run R "$RSCRIPT" tests/bench/screen.R "$a" "$b" "$out" "$repeats"
    run numpy "$PYTHON" tests/bench/screen.py "$a" "$b" "$out" "$repeats"
    echo
    "$PYTHON" tests/bench/report.py "$out" || status=$?
    echo
fi
run rglit-surv build/bench_surv "$out" "$repeats"
run R-surv "$RSCRIPT" tests/bench/surv.R "$out" "$repeats"
echo
"$PYTHON" tests/bench/surv_report.py "$out" || status=$?
if [ -n "$failed" ]; then
    echo "bench: failed:$failed" >&2
    exit 1
fi
exit "$status"
