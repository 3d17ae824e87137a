# tests/bench/surv.R OUTDIR [REPEATS] — `make bench`, survival part: R's
# coxph (Efron), survfit and survdiff on the rows bench_surv wrote to
# OUTDIR/surv.csv; timings (best of REPEATS after a warm-up, reading the CSV
# untimed) and results into OUTDIR/surv.R.kv for surv_report.py.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
repeats <- if (length(args) > 1) as.integer(args[2]) else 3L
d <- read.csv(file.path(out, "surv.csv"))
best_of <- function(f) {
    best <- Inf
    for (rep in 0:repeats) {
        t <- system.time(v <- f())[["elapsed"]]
        if (rep > 0 && t < best) best <- t
    }
    list(time = best, value = v)
}
kv <- character(0)
put <- function(k, v) kv <<- c(kv, paste(k, sprintf("%.17g", v)))
form <- Surv(time, status) ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10
cx <- best_of(function() coxph(form, data = d, ties = "efron"))
put("time.cox", cx$time)
cat(sprintf("R      cox (efron, 10 covariates) %9.4f s\n", cx$time))
for (j in 1:10) {
    put(paste0("cox.coef.", j), coef(cx$value)[j])
    put(paste0("cox.se.", j), sqrt(diag(cx$value$var))[j])
}
put("cox.loglik", cx$value$loglik[2])
put("cox.score", cx$value$score)
put("cox.concordance", cx$value$concordance[["concordance"]])
put("cox.iter", cx$value$iter)
km <- best_of(function() survfit(Surv(time, status) ~ group, data = d))
put("time.km", km$time)
cat(sprintf("R      km (3 curves)               %9.4f s\n", km$time))
med <- quantile(km$value, 0.5)$quantile
for (g in 0:2) put(paste0("km.median.", g), med[g + 1])
lr <- best_of(function() survdiff(Surv(time, status) ~ group, data = d))
put("time.logrank", lr$time)
cat(sprintf("R      log-rank (3 groups)         %9.4f s\n", lr$time))
put("logrank.chisq", lr$value$chisq)
writeLines(c(paste("R", R.version.string), paste("survival", packageVersion("survival")), kv),
           file.path(out, "surv.R.kv"))
