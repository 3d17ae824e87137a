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
# 3. Models on the same n44 pair (skipped when it is absent): lasso paths,
#    an elastic-net grid search, a regression tree and a permutation test,
#    build/bench_models (tests/bench/bench_models.c) against scikit-learn
#    (tests/bench/models.py, Debian's python3-sklearn), one process per line
#    and program for its peak memory; table and agreement from
#    tests/bench/models_report.py.
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
# Models: BENCH_MODELS_GENES (lasso paths of the first N of the 500 genes,
# default 10: scikit-learn takes ~2 s a gene), BENCH_MODELS_NPERM (default
# 1000), BENCH_MODELS_ONCE (a run slower than this many seconds is timed
# once, default 2), BENCH_MODELS_NJOBS2=1 (scikit-learn with n_jobs=2 too).
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
if [ "$screen" = 1 ]; then
    ${MAKE:-make} --no-print-directory build/bench_models
    genes=${BENCH_MODELS_GENES:-10}
    nperm=${BENCH_MODELS_NPERM:-1000}
    sklearn=1
    if ! "$PYTHON" -c "import sklearn" 2>/dev/null; then
        echo "bench: scikit-learn is missing (apt-get install python3-sklearn): models run rglit alone" >&2
        sklearn=0
    fi
    echo
    echo "bench: models (load average $(cut -d ' ' -f 1-3 /proc/loadavg))"
    for line in path grid tree perm; do
        case $line in
            path) n=$genes m=$genes ;;
            perm) n=$nperm m=0 ;;
            *) n=0 m=0 ;; # 0: the program's default
        esac
        run "rglit-models-$line" build/bench_models "$line" "$a" "$b" "$out" "$repeats" "$n" "$m"
        if [ "$sklearn" = 1 ]; then
            run "sklearn-models-$line" "$PYTHON" tests/bench/models.py "$line" "$a" "$b" "$out" "$repeats" "$n"
        fi
    done
    echo
    "$PYTHON" tests/bench/models_report.py "$out" || status=$?
else
    echo "bench: models skipped: the NSCLC radiogenomics data is not in $data"
fi
if [ -n "$failed" ]; then
    echo "bench: failed:$failed" >&2
    exit 1
fi
exit "$status"
