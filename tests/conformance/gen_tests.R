# Reference values for rglit's two-sample tests, OLS and ROC implementations
# (engine/stats/tests.h, ols.h, roc.h).
#
# Run from the repository root:
#     Rscript tests/conformance/gen_tests.R
# Writes tests/conformance/tests.json. Needs R with the survival (datasets
# only) and pROC packages; the JSON is written by hand (no jsonlite), with the
# conventions of gen_stats.R: numbers as %.17g, NA/NaN as null, +-Inf as the
# strings "Infinity"/"-Infinity". The inputs are stored with the expected
# values, so the C test needs no R. See README.md in this folder.

suppressPackageStartupMessages({
    library(survival)
    library(pROC)
})

out_file <- file.path("tests", "conformance", "tests.json")
if (!dir.exists(file.path("tests", "conformance")))
    stop("run from the repository root: Rscript tests/conformance/gen_tests.R")

source(file.path("tests", "conformance", "json.R"))

lung <- survival::lung
veteran <- survival::veteran

## -------------------------------------------------------------- t.test ----

## One entry per (case, pooled). x and y are the raw inputs (NA as null); R's
## t.test drops the NAs itself. Errors R stops with are recorded as
## "error": "constant" ("data are essentially constant") or "too_few" (not
## enough observations) and no expected values.
t_items <- character(0)
add_t <- function(name, x, y) {
    for (pooled in c(FALSE, TRUE)) {
        label <- paste("t.test", name, if (pooled) "pooled" else "welch")
        head <- list(case = json_str(name), pooled = if (pooled) "1" else "0",
                     x = json_nums(x), y = json_nums(y))
        tt <- tryCatch(with_warnings(label, t.test(x, y, var.equal = pooled)),
                       error = function(e) e)
        if (inherits(tt, "error")) {
            msg <- conditionMessage(tt)
            kind <- if (grepl("essentially constant", msg)) "constant"
                    else if (grepl("not enough", msg)) "too_few"
                    else stop(label, ": unexpected error: ", msg)
            f <- c(head, list(error = json_str(kind), r_message = json_str(msg)))
        } else {
            f <- c(head, list(
                nx = json_num1(sum(!is.na(x))), ny = json_num1(sum(!is.na(y))),
                t = json_num1(unname(tt$statistic)),
                df = json_num1(unname(tt$parameter)),
                p = json_num1(tt$p.value),
                lower = json_num1(tt$conf.int[1]),
                upper = json_num1(tt$conf.int[2]),
                mean_x = json_num1(unname(tt$estimate[1])),
                mean_y = json_num1(unname(tt$estimate[2])),
                stderr = json_num1(tt$stderr)))
        }
        t_items <<- c(t_items, json_obj(f))
    }
}

set.seed(20240501)
t_unequal_x <- round(rnorm(8, 10, 1), 3)
t_unequal_y <- round(rnorm(30, 10.5, 3), 3)
add_t("small", c(19.1, 22.4, 20.8, 25.6, 21.0), c(17.2, 18.9, 16.5, 20.3, 19.4, 18.0))
add_t("ties", c(1, 2, 2, 3, 3, 3, 4), c(2, 2, 3, 3, 4, 4, 4, 5))
add_t("unequal_sizes", t_unequal_x, t_unequal_y)
add_t("n2_each", c(1.5, 2.5), c(3.1, 4.9))
add_t("outlier_1e12", c(1, 2, 3, 4, 1e12), c(2, 3, 4, 5, 6))
add_t("na_mixed", c(1.2, NA, 3.4, 2.2, NaN, 4.1), c(NA, 2.5, 3.9, 5.0, 4.4))
add_t("one_group_constant", c(4, 4, 4, 4), c(1, 2, 3, 5))
add_t("large_offset", 1e6 + c(0.12, 0.35, 0.27, 0.41), 1e6 + c(0.30, 0.52, 0.44, 0.61, 0.38))
add_t("n1_vs_3", 2.5, c(1, 2, 4))          # Welch: too_few; pooled: valid
add_t("empty_after_na", c(NA, NA), c(1, 2, 3))
add_t("constant_equal", c(3, 3, 3), c(3, 3, 3))
add_t("constant_different", c(2, 2, 2), c(5, 5, 5))
## Far tails: t about 30 and 12 with p about 1e-30 and 1e-16.
add_t("separated_far_tail", seq(10, 12, length.out = 25) + rep(c(0.13, -0.07, 0.02), length.out = 25),
      seq(0, 2, length.out = 30) + rep(c(-0.05, 0.11), length.out = 30))
## t about 20 on about 58 df (p about 1e-27): where GSL's t tail
## (gsl_cdf_tdist_P/Q) is off by ~1e-7 relative.
add_t("far_tail_df58", seq(0, 1, length.out = 30) + 1.575,
      seq(0, 1, length.out = 30) + rep(c(0.01, -0.01, 0), 10))
add_t("separated_moderate_tail", c(5.1, 5.9, 6.3, 5.4, 6.8, 6.1, 5.7, 6.0),
      c(1.2, 2.0, 1.7, 0.9, 1.5, 2.2, 1.1))
add_t("lung_age_by_sex", as.numeric(lung$age[lung$sex == 1]),
      as.numeric(lung$age[lung$sex == 2]))
add_t("lung_meal_cal_by_status", as.numeric(lung$meal.cal[lung$status == 1]),
      as.numeric(lung$meal.cal[lung$status == 2]))
add_t("lung_wt_loss_by_sex", as.numeric(lung$wt.loss[lung$sex == 1]),
      as.numeric(lung$wt.loss[lung$sex == 2]))
add_t("veteran_karno_by_trt", as.numeric(veteran$karno[veteran$trt == 1]),
      as.numeric(veteran$karno[veteran$trt == 2]))

## --------------------------------------------------------- wilcox.test ----

## wilcox.test(x, y, exact = E, correct = C) two-sided, mu = 0. exact_arg:
## -1 for R's default (exact = NULL), 0 for FALSE, 1 for TRUE (only used
## without ties). "U" is R's W. "exact" is whether R used the exact
## distribution (its method string says "exact"). "z" is the normal deviate
## R computes internally (STATISTIC - nx ny / 2 - CORRECTION) / SIGMA,
## recomputed here with R's formula (R does not return it); null when exact.
mw_items <- character(0)
add_mw <- function(name, x, y, exact_arg = -1L, correct = TRUE) {
    label <- sprintf("wilcox.test %s exact=%d correct=%d", name, exact_arg, correct)
    ex <- switch(as.character(exact_arg), "-1" = NULL, "0" = FALSE, "1" = TRUE)
    head <- list(case = json_str(name), x = json_nums(x), y = json_nums(y),
                 exact_arg = sprintf("%d", exact_arg),
                 correct = if (correct) "1" else "0")
    wt <- tryCatch(with_warnings(label, wilcox.test(x, y, exact = ex, correct = correct)),
                   error = function(e) e)
    if (inherits(wt, "error")) {
        msg <- conditionMessage(wt)
        if (!grepl("not enough", msg)) stop(label, ": unexpected error: ", msg)
        mw_items <<- c(mw_items, json_obj(c(head, list(
            error = json_str("too_few"), r_message = json_str(msg)))))
        return(invisible())
    }
    xx <- x[!is.na(x)]; yy <- y[!is.na(y)]
    r <- rank(c(xx, yy))
    nx <- length(xx); ny <- length(yy)
    ties <- length(r) != length(unique(r))
    used_exact <- grepl("exact", wt$method, fixed = TRUE)
    W <- unname(wt$statistic)
    if (used_exact) {
        z <- NA_real_
    } else {
        NTIES <- table(r)
        z <- W - nx * ny / 2
        SIGMA <- sqrt((nx * ny / 12) * ((nx + ny + 1) -
                      sum(NTIES^3 - NTIES) / ((nx + ny) * (nx + ny - 1))))
        CORRECTION <- if (correct) sign(z) * 0.5 else 0
        z <- (z - CORRECTION) / SIGMA
        pz <- 2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))
        stopifnot(identical(pz, wt$p.value))    # the recomputation is R's
    }
    mw_items <<- c(mw_items, json_obj(c(head, list(
        nx = json_num1(nx), ny = json_num1(ny),
        U = json_num1(W), p = json_num1(wt$p.value), z = json_num1(z),
        exact = if (used_exact) "1" else "0", ties = if (ties) "1" else "0",
        r_method = json_str(wt$method)))))
}

dep_x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
dep_y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
for (ea in c(-1L, 1L)) add_mw("no_ties_small", dep_x, dep_y, ea)
add_mw("no_ties_small", dep_x, dep_y, 0L, TRUE)
add_mw("no_ties_small", dep_x, dep_y, 0L, FALSE)
ties_x <- c(1, 2, 2, 3, 3, 3, 4); ties_y <- c(2, 2, 3, 3, 4, 4, 4, 5)
add_mw("ties", ties_x, ties_y, -1L, TRUE)
add_mw("ties", ties_x, ties_y, -1L, FALSE)
add_mw("ties", ties_x, ties_y, 0L, TRUE)
set.seed(7)
big_x <- round(rnorm(55), 6); big_y <- round(rnorm(20, 0.3), 6)
stopifnot(!anyDuplicated(c(big_x, big_y)))
add_mw("nx55_ny20", big_x, big_y, -1L, TRUE)      # default: normal (nx >= 50)
add_mw("nx55_ny20", big_x, big_y, -1L, FALSE)
add_mw("nx55_ny20", big_x, big_y, 1L, TRUE)       # forced exact
add_mw("nx20_ny55", big_y, big_x, -1L, TRUE)      # ny >= 50
set.seed(8)
b49_x <- round(rnorm(49), 6); b49_y <- round(rnorm(49, 0.4), 6)
stopifnot(!anyDuplicated(c(b49_x, b49_y)))
add_mw("nx49_ny49", b49_x, b49_y, -1L, TRUE)      # default: exact
add_mw("nx49_ny49", b49_x, b49_y, 0L, TRUE)
add_mw("nx50_ny10", c(b49_x, 9.75), b49_y[1:10], -1L, TRUE)  # exactly 50: normal
add_mw("separated_far_tail", seq(100.5, 160, by = 1), seq(1, 60, by = 1))  # p ~ 1e-21
add_mw("nx1_ny1", 2, 1)
add_mw("nx1_ny4", 2.5, c(1, 2, 3, 4))
add_mw("nx2_ny3", c(1.1, 5.2), c(2.3, 3.4, 0.2))
add_mw("nx3_ny3_separated", c(7, 8, 9), c(1, 2, 3))
add_mw("nx3_ny3_separated", c(7, 8, 9), c(1, 2, 3), 0L, TRUE)
add_mw("nx3_ny5", c(0.5, 3.5, 6.5), c(1, 2, 3, 4, 5))
add_mw("at_center", c(1, 4), c(2, 3))              # W = nx ny / 2: p = 1
add_mw("at_center_ties", c(1, 2, 3), c(2, 2, 2))   # z = 0 with ties
add_mw("na_mixed", c(1.2, NA, 3.4, 2.2, NaN, 4.1), c(NA, 2.5, 3.9, 5.0, 4.4))
add_mw("infinite_values", c(1, Inf, 3), c(-Inf, 2, 0.5))  # R keeps +-Inf
add_mw("all_tied", c(1, 1), c(1, 1, 1))            # SIGMA = 0: p NaN
add_mw("all_tied", c(1, 1), c(1, 1, 1), 0L, FALSE)
add_mw("empty_x", c(NA, NaN), c(1, 2, 3))
add_mw("lung_age_by_sex", as.numeric(lung$age[lung$sex == 1]),
       as.numeric(lung$age[lung$sex == 2]))
add_mw("lung_meal_cal_by_status", as.numeric(lung$meal.cal[lung$status == 1]),
       as.numeric(lung$meal.cal[lung$status == 2]))
add_mw("lung_ph_karno_by_sex", as.numeric(lung$ph.karno[lung$sex == 1]),
       as.numeric(lung$ph.karno[lung$sex == 2]), 0L, FALSE)
add_mw("veteran_karno_by_trt", as.numeric(veteran$karno[veteran$trt == 1]),
       as.numeric(veteran$karno[veteran$trt == 2]))
add_mw("veteran_time_by_prior", as.numeric(veteran$time[veteran$prior == 0]),
       as.numeric(veteran$time[veteran$prior == 10]))
vs <- veteran[veteran$celltype == "squamous", ]
vl <- veteran[veteran$celltype == "large", ]
add_mw("veteran_time_squamous_vs_large", as.numeric(vs$time), as.numeric(vl$time))

## ------------------------------------------------------------------ lm ----

## lm(y ~ X) (intercept = 1) or lm(y ~ X - 1) (intercept = 0) on complete
## rows (the stored inputs have no NA). coef/se/t/p have one entry per design
## column, intercept first; aliased columns (NA in coef(fit)) are null in all
## four and 1 in "aliased". fstatistic/f_numdf/f_dendf/f_p are null when
## summary.lm gives no F statistic (no terms besides the intercept, or no
## residual degrees of freedom). "note": "perfect" marks a perfect fit (R
## warns "essentially perfect fit"; se/t/p/sigma/F are rounding noise),
## "saturated" n == rank (se/t/p/sigma NaN in R).
ols_items <- character(0)
add_ols <- function(name, y, X, intercept = TRUE, note = NULL) {
    stopifnot(is.list(X), !anyNA(y), !anyNA(unlist(X)))
    d <- data.frame(y__ = y)
    for (i in seq_along(X)) d[[paste0("X", i)]] <- X[[i]]
    fml <- if (length(X) == 0L) {
        if (intercept) y__ ~ 1 else stop("empty model")
    } else {
        as.formula(paste("y__ ~", paste(paste0("X", seq_along(X)), collapse = " + "),
                         if (intercept) "" else "- 1"))
    }
    label <- paste("lm", name)
    fit <- with_warnings(label, lm(fml, data = d))
    s <- with_warnings(label, summary(fit))
    cf <- coef(fit)                          # NA for aliased
    k <- length(cf)
    cm <- s$coefficients                     # rows only for non-aliased
    est <- se <- tv <- pv <- rep(NA_real_, k)
    keep <- !is.na(cf)
    est[keep] <- cm[, 1]; se[keep] <- cm[, 2]; tv[keep] <- cm[, 3]; pv[keep] <- cm[, 4]
    stopifnot(identical(names(cf)[keep], rownames(cm)))
    fs <- s$fstatistic
    fp <- if (is.null(fs)) NA_real_
          else pf(fs[1], fs[2], fs[3], lower.tail = FALSE)
    f <- list(case = json_str(name), intercept = if (intercept) "1" else "0",
              names = json_strs(names(X)),
              X = paste0("[", paste(vapply(X, json_nums, ""), collapse = ","), "]"),
              y = json_nums(y),
              n = json_num1(length(y)), k = json_num1(k), rank = json_num1(fit$rank),
              coef = json_nums(est), se = json_nums(se), t = json_nums(tv),
              p = json_nums(pv), aliased = json_ints(as.integer(!keep)),
              sigma = json_num1(s$sigma), df = json_num1(fit$df.residual),
              r_squared = json_num1(s$r.squared),
              adj_r_squared = json_num1(s$adj.r.squared),
              fstatistic = json_num1(if (is.null(fs)) NA else unname(fs[1])),
              f_numdf = json_num1(if (is.null(fs)) NA else unname(fs[2])),
              f_dendf = json_num1(if (is.null(fs)) NA else unname(fs[3])),
              f_p = json_num1(unname(fp)),
              fitted = json_nums(unname(fitted(fit))),
              resid = json_nums(unname(residuals(fit))))
    if (!is.null(note)) f$note <- json_str(note)
    ols_items <<- c(ols_items, json_obj(f))
}

cc <- function(d) d[complete.cases(d), ]
lm1 <- cc(lung[, c("meal.cal", "age", "wt.loss", "ph.karno")])
add_ols("lung_meal_cal", as.numeric(lm1$meal.cal),
        list(age = as.numeric(lm1$age), wt.loss = as.numeric(lm1$wt.loss),
             ph.karno = as.numeric(lm1$ph.karno)))
add_ols("lung_meal_cal_no_intercept", as.numeric(lm1$meal.cal),
        list(age = as.numeric(lm1$age), wt.loss = as.numeric(lm1$wt.loss)),
        intercept = FALSE)
lm2 <- cc(lung[, c("time", "age", "sex", "ph.ecog", "pat.karno")])
add_ols("lung_time", as.numeric(lm2$time),
        list(age = as.numeric(lm2$age), sex = as.numeric(lm2$sex),
             ph.ecog = as.numeric(lm2$ph.ecog), pat.karno = as.numeric(lm2$pat.karno)))
add_ols("veteran_time", as.numeric(veteran$time),
        list(karno = as.numeric(veteran$karno), age = as.numeric(veteran$age),
             diagtime = as.numeric(veteran$diagtime)))
add_ols("mtcars_mpg", mtcars$mpg,
        list(wt = mtcars$wt, hp = mtcars$hp, disp = mtcars$disp, qsec = mtcars$qsec))
add_ols("cars_simple", cars$dist, list(speed = cars$speed))
set.seed(13)
sx <- round(runif(60, 0, 10), 3)
add_ols("strong_fit_far_tail", round(2 + 3 * sx + rnorm(60, sd = 0.4), 3),
        list(x = sx, noise = round(rnorm(60), 3)))

set.seed(11)
a <- round(rnorm(20), 4); b <- round(rnorm(20), 4); dd <- round(runif(20), 4)
yy <- round(1 + 2 * a - b + 0.5 * dd + rnorm(20, sd = 0.3), 4)
add_ols("alias_sum", yy, list(a = a, b = b, a_plus_b = a + b, d = dd))
add_ols("alias_duplicate", yy, list(a = a, b = b, a_again = a))
add_ols("alias_sum_and_duplicate", yy,
        list(a = a, b = b, a_plus_b = a + b, d = dd, d_again = dd))
add_ols("alias_first_is_sum", yy, list(a_plus_b = a + b, a = a, b = b))
add_ols("alias_near", yy, list(a = a, b = b,
                               near = a + b + 1e-12 * round(rnorm(20), 4)))
add_ols("alias_zero_column", yy, list(a = a, zero = rep(0, 20), b = b))
add_ols("alias_constant_column", yy, list(a = a, const = rep(3, 20), b = b))
add_ols("constant_column_no_intercept", yy, list(a = a, const = rep(3, 20), b = b),
        intercept = FALSE)
add_ols("no_intercept_hand", c(2.1, 3.9, 6.2, 7.8, 10.1, 12.2),
        list(x = c(1, 2, 3, 4, 5, 6)), intercept = FALSE)
add_ols("intercept_only", c(2.5, 3.1, 4.7, 1.9, 3.3), list())
add_ols("n_eq_k_plus_1", c(1.3, 2.9, 4.2, 3.1),
        list(u = c(1, 2, 3, 4), v = c(0.5, -1.2, 2.2, 0.1)))
add_ols("saturated", c(1, 2, 4), list(u = c(1, 2, 3), v = c(0, 1, 5)),
        note = "saturated")
pa <- c(1, 2, 3, 4, 5, 6, 7); pb <- c(2, 0, 1, 5, 3, 3, 1)
add_ols("perfect_fit", 1 + 2 * pa - 3 * pb, list(a = pa, b = pb), note = "perfect")
set.seed(12)
big <- round(runif(25, 1, 5), 3) * 1e8
tiny <- round(runif(25, 1, 9), 3) * 1e-3
mid <- round(rnorm(25), 3)
yi <- round(3 + 2e-8 * big + 400 * tiny + mid + rnorm(25, sd = 0.5), 4)
add_ols("ill_scaled", yi, list(big = big, tiny = tiny, mid = mid))

## ---------------------------------------------------------------- pROC ----

## roc(labels, scores, levels = c(0, 1), direction = D, quiet = TRUE) with
## labels 1 = case, 0 = control; scores/labels stored raw (null for NA: pROC
## drops those rows). thresholds/sensitivities/specificities are the roc
## object's full vectors in its order (specificity increasing). var and
## ci_lower/ci_upper are var(r, method = "delong") and
## ci.auc(r, method = "delong") (null when a class has one observation).
## Youden: coords(r, "best", best.method = "youden", transpose = FALSE); all
## tied rows are in youden_all_*, the first (in the roc order) in youden_*,
## their count in youden_ties.
roc_items <- character(0)
add_roc <- function(name, labels, scores, direction, note = NULL) {
    label <- paste("roc", name, direction)
    r <- with_warnings(label, roc(labels, scores, levels = c(0, 1),
                                  direction = direction, quiet = TRUE))
    v <- with_warnings(label, var(r, method = "delong"))
    ci <- with_warnings(label, ci.auc(r, method = "delong"))
    yo <- with_warnings(label, coords(r, "best", best.method = "youden",
                                      ret = c("threshold", "sensitivity", "specificity"),
                                      transpose = FALSE))
    f <- list(case = json_str(name), direction = json_str(direction),
              labels = json_nums(labels), scores = json_nums(scores),
              direction_used = json_str(r$direction),
              n_cases = json_num1(length(r$cases)),
              n_controls = json_num1(length(r$controls)),
              thresholds = json_nums(r$thresholds),
              sensitivities = json_nums(r$sensitivities),
              specificities = json_nums(r$specificities),
              auc = json_num1(as.numeric(r$auc)),
              var = json_num1(v),
              ci_lower = json_num1(ci[1]), ci_upper = json_num1(ci[3]),
              youden_threshold = json_num1(yo$threshold[1]),
              youden_sensitivity = json_num1(yo$sensitivity[1]),
              youden_specificity = json_num1(yo$specificity[1]),
              youden_ties = json_num1(nrow(yo)),
              youden_all_thresholds = json_nums(yo$threshold),
              youden_all_sensitivities = json_nums(yo$sensitivity),
              youden_all_specificities = json_nums(yo$specificity))
    if (!is.null(note)) f$note <- json_str(note)
    roc_items <<- c(roc_items, json_obj(f))
}

add_roc("perfect_separation", c(0, 0, 0, 1, 1, 1), c(0.1, 0.2, 0.3, 0.7, 0.8, 0.9), "<")
add_roc("perfect_separation", c(0, 0, 0, 1, 1, 1), c(0.1, 0.2, 0.3, 0.7, 0.8, 0.9), ">")
add_roc("all_tied", c(0, 1, 0, 1, 1), rep(0.5, 5), "<")
add_roc("all_tied", c(0, 1, 0, 1, 1), rep(0.5, 5), "auto")
add_roc("ties_across_classes", c(0, 0, 0, 0, 1, 1, 1, 1, 0, 1),
        c(1, 2, 2, 3, 2, 3, 3, 4, 4, 5), "<")
add_roc("ties_across_classes", c(0, 0, 0, 0, 1, 1, 1, 1, 0, 1),
        c(1, 2, 2, 3, 2, 3, 3, 4, 4, 5), ">")
vet_lab <- as.numeric(veteran$status)
add_roc("veteran_karno_status", vet_lab, as.numeric(veteran$karno), "auto")
add_roc("veteran_karno_status", vet_lab, as.numeric(veteran$karno), ">")
add_roc("veteran_karno_status", vet_lab, as.numeric(veteran$karno), "<")
lung_lab <- as.numeric(lung$status == 2)
add_roc("lung_ph_karno_status", lung_lab, as.numeric(lung$ph.karno), "auto")
add_roc("lung_ph_karno_status", lung_lab, as.numeric(lung$ph.karno), "<")
add_roc("lung_age_status", lung_lab, as.numeric(lung$age), "auto")
set.seed(2024)
rl <- rbinom(60, 1, 0.4)
rs <- round(rnorm(60, mean = rl * 0.8), 3)
add_roc("random_seed2024", rl, rs, "<")
add_roc("random_seed2024", rl, rs, "auto")
add_roc("small_2cases_1control", c(1, 0, 1), c(2, 3, 1), "<")
add_roc("small_2cases_1control", c(1, 0, 1), c(2, 3, 1), "auto")
add_roc("small_1case_2controls", c(0, 1, 0), c(0.2, 0.9, 0.4), "<")
add_roc("controls_above_cases", c(0, 0, 0, 0, 1, 1, 1),
        c(8.5, 9.1, 7.7, 6.2, 3.3, 5.0, 7.0), "auto")
add_roc("controls_above_cases", c(0, 0, 0, 0, 1, 1, 1),
        c(8.5, 9.1, 7.7, 6.2, 3.3, 5.0, 7.0), "<")
add_roc("median_equal_auto", c(0, 0, 0, 1, 1, 1), c(1, 5, 9, 2, 5, 6), "auto")
## Adjacent doubles: the midpoint rounds onto a score; pROC moves the
## threshold to the upper score for "<" and the lower for ">".
add_roc("adjacent_doubles", c(0, 1, 0, 1), c(1, 1 + 2^-52, 0.5, 2), "<",
        note = "midpoint on a score")
add_roc("adjacent_doubles", c(0, 1, 0, 1), c(1, 1 + 2^-52, 0.5, 2), ">",
        note = "midpoint on a score")
## Midpoints above 1e100 are computed as a/2 + b/2 (no overflow).
add_roc("huge_scores", c(0, 1, 0, 1, 1), c(-1.7e308, 1.6e308, 1.5e308, 1.7e308, 1e300), "<")
add_roc("negative_scores", c(0, 1, 0, 1, 0, 1), c(-3.5, -1.25, -2, -0.5, -1.25, -4), "<")
## Youden ties: several thresholds with the same se + sp.
add_roc("youden_ties", c(0, 1, 0, 1, 0, 1, 0, 1), c(1, 2, 3, 4, 5, 6, 7, 8), "<")
add_roc("youden_ties", c(0, 1, 0, 1, 0, 1, 0, 1), c(1, 2, 3, 4, 5, 6, 7, 8), ">")
## 10 cases, 10 controls: se + sp = k/10 + j/10 in floating point breaks
## mathematical ties: for "<" (tp, tn) = (7, 6), (6, 7), (5, 8) all sum to 13,
## but 0.7 + 0.6 = 0.6 + 0.7 = 1.2999999999999998 < 0.5 + 0.8 = 1.3, and pROC
## compares the doubles exactly: one row, (5, 8). (Found by a seeded search.)
yt_lab <- c(0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1)
add_roc("youden_float_ties", yt_lab, seq_along(yt_lab), "<", note = "float ties")
add_roc("youden_float_ties", yt_lab, seq_along(yt_lab), ">", note = "float ties")

## --------------------------------------------------------------- write ----

txt <- paste0(
    "{\n",
    "  \"generator\": ", json_str("tests/conformance/gen_tests.R"), ",\n",
    "  \"R\": ", json_str(R.version.string), ",\n",
    "  \"survival\": ", json_str(as.character(packageVersion("survival"))), ",\n",
    "  \"pROC\": ", json_str(as.character(packageVersion("pROC"))), ",\n",
    "  \"t_test\": ", json_arr_lines(t_items), ",\n",
    "  \"mann_whitney\": ", json_arr_lines(mw_items), ",\n",
    "  \"ols\": ", json_arr_lines(ols_items), ",\n",
    "  \"roc\": ", json_arr_lines(roc_items), "\n",
    "}\n")
con <- file(out_file, open = "wb")
writeChar(txt, con, eos = NULL)
close(con)

cat(sprintf("wrote %s: %d t_test, %d mann_whitney, %d ols, %d roc cases, %d bytes\n",
            out_file, length(t_items), length(mw_items), length(ols_items),
            length(roc_items), file.size(out_file)))
if (length(r_warnings)) {
    cat("warnings R gave (expected for the edge cases):\n")
    cat(paste0("  ", unique(r_warnings), "\n"), sep = "")
}
