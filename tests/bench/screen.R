# tests/bench/screen.R — the R reference for `make bench`: the same
# correlation screens as tests/bench/bench_screen.c, written the way an R user
# would (read.csv, cor, pt, p.adjust), on the same two CSV files.
#
#   Rscript screen.R A.csv B.csv OUTDIR [REPEATS]
#
# Each step runs once as a warm-up, then REPEATS times (default 3); the best
# elapsed time (system.time) is kept. The peak resident set of each step is
# VmHWM from /proc/self/status, reset (/proc/self/clear_refs "5") after a gc()
# before the step. Writes OUTDIR/R.kv, OUTDIR/R_{pearson,spearman}_{sample,kept}.txt
# and OUTDIR/R_perm.txt in the formats of bench_screen.c.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) stop("usage: Rscript screen.R A.csv B.csv OUTDIR [REPEATS]")
path_a <- args[1]
path_b <- args[2]
outdir <- args[3]
repeats <- if (length(args) >= 4) max(1L, as.integer(args[4])) else 3L

SAMPLE_STRIDE <- 1009 # pairs k = 0, 1009, ... in row-major order i * q + j
NPERM <- 1000
KEEP_PADJ <- 0.05
KEEP_R <- 0.5

kv <- file(file.path(outdir, "R.kv"), "w")
put <- function(key, value) writeLines(paste(key, value), kv)

status_mb <- function(field) {
  l <- readLines("/proc/self/status")
  x <- l[startsWith(l, paste0(field, ":"))]
  if (length(x) == 0) return(-1)
  as.numeric(gsub("[^0-9]", "", x)) / 1024
}
rss_overall <- 0
rss_reset_ok <- TRUE
phase_begin <- function() {
  invisible(gc())
  rss_overall <<- max(rss_overall, status_mb("VmHWM"))
  ok <- tryCatch({
    cat("5", file = "/proc/self/clear_refs")
    TRUE
  }, error = function(e) FALSE, warning = function(w) FALSE)
  if (!ok) rss_reset_ok <<- FALSE
}
phase_end <- function(name) {
  h <- status_mb("VmHWM")
  rss_overall <<- max(rss_overall, h)
  put(paste0("rss.", name), sprintf("%.1f", h))
}

# fn() once as a warm-up, then `repeats` times; returns the last result
best_of <- function(name, fn) {
  phase_begin()
  best <- Inf
  res <- NULL
  for (rep in 0:repeats) {
    res <- NULL # let the previous result go before the next run (system.time gc()s first)
    t <- system.time(res <- fn())[["elapsed"]]
    if (rep > 0) best <- min(best, t)
  }
  phase_end(name)
  put(paste0("time.", name), sprintf("%.6f", best))
  cat(sprintf("R      %-22s %9.4f s   peak RSS %7.1f MB\n", name, best, status_mb("VmHWM")))
  flush.console()
  res
}

si <- sessionInfo()
put("blas", paste(R.version.string, "| BLAS", if (is.null(si$BLAS)) "?" else si$BLAS,
                  "| cor() itself is single-threaded C, no BLAS"))
put("repeats", repeats)

# ---- read ------------------------------------------------------------------
read_one <- function(path) {
  d <- read.csv(path, check.names = FALSE)
  m <- as.matrix(d[-1])
  storage.mode(m) <- "double"
  rownames(m) <- as.character(d[[1]])
  m
}
both <- best_of("read", function() list(a = read_one(path_a), b = read_one(path_b)))
A <- both$a
B <- both$b
rm(both)
if (identical(rownames(A), rownames(B))) {
  put("ids", "same")
} else {
  common <- rownames(A)[rownames(A) %in% rownames(B)]
  A <- A[common, , drop = FALSE]
  B <- B[common, , drop = FALSE]
  put("ids", "aligned")
}
n <- nrow(A)
p <- ncol(A)
q <- ncol(B)
put("n", n)
put("p", p)
put("q", q)
invisible(gc())
put("rss.loaded", sprintf("%.1f", status_mb("VmRSS")))
cat(sprintf("R      %d rows, %d x %d columns = %.0f pairs\n", n, p, q, p * q))

# ---- the screens -------------------------------------------------------------
screen <- function(A, B, method) {
  r <- suppressWarnings(cor(A, B, method = method)) # NA (warning) for constant columns
  df <- nrow(A) - 2
  t <- r * sqrt(df / (1 - r^2))
  p <- 2 * pt(-abs(t), df)
  padj <- p.adjust(p, "BH")
  list(r = r, p = p, padj = padj)
}

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# Checksums in the formats of bench_screen.c; pair k = i * q + j (row-major, 0-based),
# R's matrices are column-major.
checksums <- function(name, s) {
  r <- as.vector(s$r)
  pv <- as.vector(s$p)
  pa <- as.vector(s$padj)
  keep <- which(!is.na(pa) & pa < KEEP_PADJ & abs(r) > KEEP_R)
  ci <- keep - 1
  k <- (ci %% p) * q + ci %/% p
  o <- order(k)
  keep <- keep[o]
  k <- k[o]
  writeLines(sprintf("%.0f %s %s %s", k, fmt(r[keep]), fmt(pv[keep]), fmt(pa[keep])),
             file.path(outdir, paste0("R_", name, "_kept.txt")))
  ks <- seq(0, p * q - 1, by = SAMPLE_STRIDE)
  idx <- (ks %/% q) + (ks %% q) * p + 1
  writeLines(sprintf("%.0f %s %s %s", ks, fmt(r[idx]), fmt(pv[idx]), fmt(pa[idx])),
             file.path(outdir, paste0("R_", name, "_sample.txt")))
  put(paste0(name, ".pairs"), sprintf("%.0f", length(r)))
  put(paste0(name, ".n_nan"), sum(is.na(r)))
  put(paste0(name, ".kept"), length(keep))
  put(paste0(name, ".kept_idsum"), sprintf("%.0f", sum(k)))
  put(paste0(name, ".sum_abs_r"), sprintf("%.10g", sum(abs(r), na.rm = TRUE)))
}

s <- best_of("pearson", function() screen(A, B, "pearson"))
checksums("pearson", s)
rm(s)
s <- best_of("spearman", function() screen(A, B, "spearman"))
checksums("spearman", s)
rm(s)

# ---- permutations: gene 1 against every feature ---------------------------------
perm <- function(A, g, nperm) {
  set.seed(1)
  r_obs <- suppressWarnings(cor(A, g))[, 1]
  exceed <- numeric(length(r_obs))
  for (i in seq_len(nperm)) {
    r <- suppressWarnings(cor(A, sample(g)))[, 1]
    exceed <- exceed + (abs(r) >= abs(r_obs))
  }
  list(r = r_obs, p = (1 + exceed) / (1 + nperm))
}
g <- B[, 1]
pr <- best_of("perm", function() perm(A, g, NPERM))
put("perm.gene", colnames(B)[1])
writeLines(sprintf("%d %s %s", seq_len(p) - 1L, fmt(pr$r), fmt(pr$p)),
           file.path(outdir, "R_perm.txt"))

rss_overall <- max(rss_overall, status_mb("VmHWM"))
put("rss.peak", sprintf("%.1f", rss_overall))
put("rss.reset_ok", as.integer(rss_reset_ok))
cat(sprintf("R      peak RSS %.1f MB (VmHWM, running max)\n", rss_overall))
close(kv)
