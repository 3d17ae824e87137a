# Reference values for rglit's survival analysis (engine/stats/surv.c).
#
# Run from the repository root:
#     Rscript tests/conformance/gen_surv.R
# Writes tests/conformance/surv.json: for each case the inputs (time,
# status 0/1, group and strata labels as strings, covariates by column) and
# what R's survival package computes (survdiff, survfit, coxph, cox.zph,
# summary.survfit at given times), written by json.R. Also writes the four
# datasets used (lung, veteran, ovarian, colon) as CSV to
# tests/conformance/data/, for tests that start from a file.

suppressPackageStartupMessages(library(survival))
out_file <- file.path("tests", "conformance", "surv.json")
if (!dir.exists(file.path("tests", "conformance")))
    stop("run from the repository root: Rscript tests/conformance/gen_surv.R")

source(file.path("tests", "conformance", "json.R"))

## survdiff on complete cases; group levels in R's factor order
logrank_case <- function(name, time, status, group, strata = NULL) {
    keep <- !is.na(time) & !is.na(status) & !is.na(group)
    if (!is.null(strata)) keep <- keep & !is.na(strata)
    time <- time[keep]; status <- status[keep]; group <- as.character(group[keep])
    if (!is.null(strata)) strata <- as.character(strata[keep])
    if (all(status %in% c(1, 2))) status <- status - 1
    g <- factor(group)
    fit <- if (is.null(strata)) survdiff(Surv(time, status) ~ g)
           else survdiff(Surv(time, status) ~ g + strata(strata))
    obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
    exp <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
    df <- sum(exp > 0) - 1
    p <- pchisq(fit$chisq, df, lower.tail = FALSE)
    fields <- c(
        paste0("\"case\": ", json_str(name)),
        paste0("\"time\": ", json_nums(time)),
        paste0("\"status\": ", json_nums(status)),
        paste0("\"group\": ", json_strs(group)),
        paste0("\"strata\": ", if (is.null(strata)) "null" else json_strs(strata)),
        paste0("\"levels\": ", json_strs(levels(g))),
        paste0("\"n\": ", json_nums(as.vector(table(g)))),
        paste0("\"observed\": ", json_nums(obs)),
        paste0("\"expected\": ", json_nums(exp)),
        paste0("\"var\": ", json_nums(t(fit$var))),
        paste0("\"chisq\": ", json_num1(fit$chisq)),
        paste0("\"df\": ", json_num1(df)),
        paste0("\"p\": ", json_num1(p)))
    paste0("{", paste(fields, collapse = ", "), "}")
}

cases <- list(
    logrank_case("lung_sex", lung$time, lung$status, lung$sex),
    logrank_case("lung_ecog", lung$time, lung$status, lung$ph.ecog),
    logrank_case("lung_sex_strata_ecog", lung$time, lung$status, lung$sex, lung$ph.ecog),
    logrank_case("veteran_trt", veteran$time, veteran$status, veteran$trt),
    logrank_case("veteran_celltype", veteran$time, veteran$status, veteran$celltype),
    logrank_case("veteran_trt_strata_prior", veteran$time, veteran$status, veteran$trt,
                 veteran$prior),
    logrank_case("ovarian_rx", ovarian$futime, ovarian$fustat, ovarian$rx),
    logrank_case("colon_rx_death", colon$time[colon$etype == 2], colon$status[colon$etype == 2],
                 colon$rx[colon$etype == 2]),
    logrank_case("colon_rx_strata_sex", colon$time[colon$etype == 2],
                 colon$status[colon$etype == 2], colon$rx[colon$etype == 2],
                 colon$sex[colon$etype == 2]),
    logrank_case("all_tied_one_time", rep(5, 8), c(1,1,1,0,1,1,0,1), rep(c("a","b"), 4)),
    logrank_case("heavy_censoring", c(1,2,3,4,5,6,7,8,9,10,11,12), c(0,0,1,0,0,0,1,0,0,0,0,1),
                 c("x","y","x","y","x","y","x","y","x","y","x","y")),
    logrank_case("group_without_events", c(2,4,6,8,3,5,7,9,1,10), c(1,1,0,1,0,0,0,0,1,1),
                 c("a","a","a","a","b","b","b","b","c","c")),
    logrank_case("single_event", c(1,2,3,4,5,6), c(0,0,1,0,0,0), c("u","v","u","v","u","v")),
    logrank_case("ties_across_groups", c(1,1,2,2,2,3,3,4,4,5), c(1,1,1,0,1,1,1,0,1,1),
                 c("p","q","p","q","p","q","p","q","p","q"))
)
## survfit, one curve; quantile(fit, 0.5) for the median and its CI
km_case <- function(name, time, status, conf_type) {
    keep <- !is.na(time) & !is.na(status)
    time <- time[keep]; status <- status[keep]
    if (all(status %in% c(1, 2))) status <- status - 1
    fit <- survfit(Surv(time, status) ~ 1, conf.type = conf_type)
    q <- quantile(fit, 0.5)
    fields <- c(
        paste0("\"case\": ", json_str(name)),
        paste0("\"conf_type\": ", json_str(conf_type)),
        paste0("\"time_in\": ", json_nums(time)),
        paste0("\"status\": ", json_nums(status)),
        paste0("\"time\": ", json_nums(fit$time)),
        paste0("\"n_risk\": ", json_nums(fit$n.risk)),
        paste0("\"n_event\": ", json_nums(fit$n.event)),
        paste0("\"n_censor\": ", json_nums(fit$n.censor)),
        paste0("\"surv\": ", json_nums(fit$surv)),
        paste0("\"std_err\": ", json_nums(fit$std.err)),
        paste0("\"lower\": ", json_nums(fit$lower)),
        paste0("\"upper\": ", json_nums(fit$upper)),
        paste0("\"median\": ", json_num1(q$quantile)),
        paste0("\"median_lower\": ", json_num1(q$lower)),
        paste0("\"median_upper\": ", json_num1(q$upper)))
    paste0("{", paste(fields, collapse = ", "), "}")
}
col2 <- colon[colon$etype == 2, ]
km_inputs <- list(
    lung_all = list(lung$time, lung$status),
    lung_male = list(lung$time[lung$sex == 1], lung$status[lung$sex == 1]),
    lung_female = list(lung$time[lung$sex == 2], lung$status[lung$sex == 2]),
    veteran_trt1 = list(veteran$time[veteran$trt == 1], veteran$status[veteran$trt == 1]),
    veteran_trt2 = list(veteran$time[veteran$trt == 2], veteran$status[veteran$trt == 2]),
    ovarian = list(ovarian$futime, ovarian$fustat),
    colon_obs = list(col2$time[col2$rx == "Obs"], col2$status[col2$rx == "Obs"]),
    all_tied_one_time = list(rep(5, 8), c(1,1,1,0,1,1,0,1)),
    heavy_censoring = list(1:12, c(0,0,1,0,0,0,1,0,0,0,0,1)),
    last_is_event = list(c(1,2,2,3,4,5), c(1,1,0,1,0,1)),
    flat_at_half = list(c(1,2,3,4), c(1,1,0,1)),
    flat_at_half_to_end = list(c(1,2,3,4), c(1,1,0,0)),
    single_event = list(c(1,2,3,4,5,6), c(0,0,1,0,0,0)),
    no_events = list(c(3,1,2), c(0,0,0)))
km_cases <- list()
for (nm in names(km_inputs)) for (ct in c("log", "log-log", "plain"))
    km_cases[[length(km_cases) + 1]] <- km_case(nm, km_inputs[[nm]][[1]], km_inputs[[nm]][[2]], ct)

## ---------------------------------------------------------------- cox ----

## coxph with na.omit; time, status, strata and X are read back from the fit
## (x = TRUE, model = TRUE) so their rows are exactly the ones R used, in
## the data's order. Warnings are kept per fit and in the global list.
cox_fits <- list()
cox_fit <- function(name, formula, data, ties, iter_max = 20) {
    label <- paste("coxph", name, ties)
    warns <- character(0)
    fit <- withCallingHandlers(
        coxph(formula, data = data, ties = ties, na.action = na.omit,
              control = coxph.control(iter.max = iter_max), x = TRUE, model = TRUE),
        warning = function(w) {
            warns <<- c(warns, conditionMessage(w))
            r_warnings <<- c(r_warnings, paste0(label, ": ", conditionMessage(w)))
            invokeRestart("muffleWarning")
        })
    X <- model.matrix(fit)
    stopifnot(identical(colnames(X), names(coef(fit))), nrow(X) == fit$n,
              nrow(fit$y) == fit$n)
    ## rows of X line up with the fit: its linear predictor is (X - means) b
    b <- ifelse(is.na(coef(fit)), 0, coef(fit))
    stopifnot(isTRUE(all.equal(unname(fit$linear.predictors),
                               as.vector(sweep(X, 2, fit$means) %*% b))))
    mf <- model.frame(fit)
    scol <- grep("^strata\\(", names(mf))
    stopifnot(length(scol) <= 1)
    strata <- if (length(scol)) as.character(mf[[scol]]) else NULL
    cox_fits[[paste(name, ties)]] <<- list(fit = fit, strata = strata)
    list(fit = fit, strata = strata, warnings = warns, iter_max = iter_max)
}
## the inputs as the C side needs them: time, status 0/1, strata, X by column
cox_inputs <- function(name, ties, fit, strata) {
    X <- model.matrix(fit)
    list(case = json_str(name), ties = json_str(ties),
         time = json_nums(fit$y[, "time"]), status = json_nums(fit$y[, "status"]),
         strata = if (is.null(strata)) "null" else json_strs(strata),
         names = json_strs(colnames(X)),
         X = paste0("[", paste(apply(X, 2, json_nums), collapse = ","), "]"))
}
cox_items <- character(0)
add_cox <- function(name, formula, data, ties = c("efron", "breslow"), iter_max = 20) {
    for (tt in ties) {
        r <- cox_fit(name, formula, data, tt, iter_max)
        fit <- r$fit
        s <- summary(fit)
        nm <- names(coef(fit))
        sc <- s$coefficients[nm, , drop = FALSE]
        ci <- s$conf.int[nm, , drop = FALSE]
        f <- c(cox_inputs(name, tt, fit, r$strata), list(
            coef = json_nums(coef(fit)),
            se = json_nums(sc[, "se(coef)"]),
            z = json_nums(sc[, "z"]),
            p = json_nums(sc[, "Pr(>|z|)"]),
            hr = json_nums(ci[, "exp(coef)"]),
            lower = json_nums(ci[, "lower .95"]),
            upper = json_nums(ci[, "upper .95"]),
            loglik = json_nums(fit$loglik),
            ## summary() rounds the Wald statistic to 2 decimals (its p is
            ## from the unrounded one): take the statistic from the fit
            lr = json_nums(s$logtest),
            wald = json_nums(c(unname(fit$wald.test), s$waldtest[c("df", "pvalue")])),
            score = json_nums(s$sctest),
            concordance = json_nums(fit$concordance[c("concordance", "std")]),
            ## the standard errors from the information at coef: what a fit
            ## that ran out of iterations should report (R's own var for it
            ## is not the inverse information at its coefficients)
            se_at_coef = json_nums(sqrt(diag(as.matrix(
                coxph(formula, data = data, ties = tt, na.action = na.omit, init = coef(fit),
                      control = coxph.control(iter.max = 0))$var)))),
            n = json_num1(fit$n), nevent = json_num1(fit$nevent),
            iter = json_num1(fit$iter), iter_max = json_num1(r$iter_max),
            warnings = json_strs(r$warnings)))
        cox_items <<- c(cox_items, json_obj(f))
    }
}

lung_f <- survival::lung
lung_f$ph.ecog.f <- factor(lung_f$ph.ecog)
add_cox("lung_age_sex_ecog", Surv(time, status) ~ age + sex + ph.ecog, lung_f)
add_cox("lung_karno_wtloss_mealcal", Surv(time, status) ~ ph.karno + wt.loss + meal.cal, lung_f)
add_cox("lung_age", Surv(time, status) ~ age, lung_f)
add_cox("lung_sex", Surv(time, status) ~ sex, lung_f)
## ph.ecog as a 4-level factor; level 3 holds a single patient
add_cox("lung_ecog_factor", Surv(time, status) ~ factor(ph.ecog), lung_f)
## celltype is a factor with reference level "squamous"
add_cox("veteran_full", Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior,
        veteran)
add_cox("veteran_strata_celltype", Surv(time, status) ~ trt + karno + strata(celltype), veteran)
add_cox("ovarian_full", Surv(futime, fustat) ~ age + resid.ds + rx + ecog.ps, ovarian)
add_cox("ovarian_rx", Surv(futime, fustat) ~ rx, ovarian)
add_cox("colon_death_full", Surv(time, status) ~ rx + sex + age + obstruct + perfor + adhere +
            nodes + differ + extent + surg, col2)
add_cox("colon_death_strata_sex", Surv(time, status) ~ rx + age + nodes + strata(sex), col2,
        ties = "efron")

## Edge cases, made up. All events at one time, two censored there too.
edge_tied <- data.frame(time = rep(5, 10), status = c(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
                        x = c(0.5, 1.2, -0.3, 2.0, 0.8, -1.1, 0.0, 1.5, 0.3, -0.7))
add_cox("all_tied_one_time", Surv(time, status) ~ x, edge_tied)
## 40 subjects, 4 events
edge_cens <- data.frame(time = 1:40, status = as.numeric(1:40 %in% c(6, 15, 23, 34)),
                        x = ((1:40 * 17) %% 23) / 4)
add_cox("heavy_censoring", Surv(time, status) ~ x, edge_cens)
## x = 1 fails first at every event with x in the risk set: monotone
## likelihood, the coefficient runs off to +Inf
edge_sep <- data.frame(time = 1:10, status = c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0),
                       x = c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0))
add_cox("monotone_separation", Surv(time, status) ~ x, edge_sep)
## one event, its x strictly inside the risk set's range (finite MLE)
edge_one <- data.frame(time = c(3, 5, 7, 9, 11, 13), status = c(0, 1, 0, 0, 0, 0),
                       x = c(0.2, 1.4, -0.5, 0.9, 2.1, -1.0))
add_cox("single_event", Surv(time, status) ~ x, edge_one)
## large tie groups against the risk set, where Efron and Breslow part
## (coefficient about 1.26 against 0.96)
edge_ties <- data.frame(
    time = rep(c(1, 2, 3), each = 6),
    status = c(1, 1, 1, 1, 1, 0,  1, 1, 1, 1, 0, 1,  1, 1, 1, 0, 1, 1),
    x = c(2.5, 1.8, 2.2, 0.4, 1.1, 0.6,  0.9, 1.5, 0.2, 1.3, 0.7, 1.0,  0.1, 0.8, 0.3, 0.5, 0.0, 1.2))
add_cox("heavy_ties", Surv(time, status) ~ x, edge_ties)
## Too few Newton steps. R only warns for iter.max > 1 and then reports
## iter = iter.max + 1; iter.max = 1 returns the one-step estimate silently.
add_cox("lung_iter_max1", Surv(time, status) ~ age + sex + ph.ecog, lung_f, iter_max = 1)
add_cox("lung_iter_max2", Surv(time, status) ~ age + sex + ph.ecog, lung_f, iter_max = 2)
## x2 is 1 for every event, 0 or 2 for the censored ones (finite MLE)
edge_const <- data.frame(time = 1:12, status = c(1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0),
                         x1 = c(0.3, -1.2, 0.8, 0.1, -0.4, 1.6, -0.9, 0.5, 1.1, -0.2, 0.7, -1.5),
                         x2 = c(1, 0, 1, 2, 1, 1, 0, 1, 2, 2, 1, 0))
add_cox("constant_in_events", Surv(time, status) ~ x1 + x2, edge_const)

## Random data nobody chose. Exponential event times with hazard
## base exp(lp) against independent exponential censoring times.
set.seed(20261121)
n <- 200
sim1 <- data.frame(x1 = rnorm(n), x2 = rbinom(n, 1, 0.5), x3 = runif(n),
                   x4 = sample(0:5, n, replace = TRUE))
t_ev <- rexp(n, 0.1 * exp(0.5 * sim1$x1 - 0.7 * sim1$x2 + 1.0 * sim1$x3 + 0.2 * sim1$x4))
t_cens <- rexp(n, 0.08)
sim1$time <- ceiling(pmin(t_ev, t_cens) * 10) / 10     # 1 decimal, up so none is 0: ties
sim1$status <- as.numeric(t_ev <= t_cens)
n <- 500
sim2 <- data.frame(z1 = rnorm(n), z2 = rbinom(n, 1, 0.4))
t_ev <- rexp(n, 0.2 * exp(0.4 * sim2$z1 + 0.6 * sim2$z2))
t_cens <- rexp(n, 0.09)
sim2$time <- ceiling(pmin(t_ev, t_cens))                # whole numbers: heavy ties
sim2$status <- as.numeric(t_ev <= t_cens)
n <- 60
sim3 <- data.frame(w1 = rnorm(n), w2 = rnorm(n), w3 = rnorm(n), w4 = rnorm(n),
                   w5 = rbinom(n, 1, 0.5), w6 = runif(n))
t_ev <- rexp(n, 0.1 * exp(as.vector(as.matrix(sim3) %*% c(0.8, -0.5, 0.3, 0, 0.6, -1))))
t_cens <- rexp(n, 0.04)
sim3$time <- ceiling(pmin(t_ev, t_cens) * 100) / 100
sim3$status <- as.numeric(t_ev <= t_cens)
sim_censored <- c(mean(sim1$status == 0), mean(sim2$status == 0), mean(sim3$status == 0))
add_cox("sim_n200", Surv(time, status) ~ x1 + x2 + x3 + x4, sim1)
add_cox("sim_n500", Surv(time, status) ~ z1 + z2, sim2)
add_cox("sim_n60", Surv(time, status) ~ w1 + w2 + w3 + w4 + w5 + w6, sim3)

## ---------------------------------------------------------------- zph ----

## cox.zph(transform = "km", terms = FALSE) on some of the fits above: one row
## per column of X, then GLOBAL
zph_items <- character(0)
for (key in c("lung_age_sex_ecog efron", "lung_age_sex_ecog breslow", "veteran_full efron",
              "ovarian_full efron", "colon_death_full efron", "sim_n200 efron",
              "veteran_strata_celltype efron")) {
    r <- cox_fits[[key]]
    nt <- strsplit(key, " ")[[1]]
    z <- with_warnings(paste("cox.zph", key), cox.zph(r$fit, transform = "km", terms = FALSE))
    stopifnot(identical(rownames(z$table), c(names(coef(r$fit)), "GLOBAL")))
    f <- c(cox_inputs(nt[1], nt[2], r$fit, r$strata), list(
        chisq = json_nums(z$table[, "chisq"]), df = json_nums(z$table[, "df"]),
        p = json_nums(z$table[, "p"])))
    zph_items <- c(zph_items, json_obj(f))
}

## -------------------------------------------------------------- km_at ----

## summary(survfit, times = at), default extend = FALSE: times past the last
## follow-up are dropped. std.err here is on the survival scale.
km_at_case <- function(name, time, status, at, conf_type) {
    keep <- !is.na(time) & !is.na(status)
    time <- time[keep]; status <- status[keep]
    if (all(status %in% c(1, 2))) status <- status - 1
    fit <- survfit(Surv(time, status) ~ 1, conf.type = conf_type)
    s <- with_warnings(paste("summary.survfit", name, conf_type), summary(fit, times = at))
    json_obj(list(
        case = json_str(name), conf_type = json_str(conf_type),
        time_in = json_nums(time), status = json_nums(status), at = json_nums(at),
        time = json_nums(s$time), n_risk = json_nums(s$n.risk),
        n_event = json_nums(s$n.event), n_censor = json_nums(s$n.censor),
        surv = json_nums(s$surv), std_err = json_nums(s$std.err),
        lower = json_nums(s$lower), upper = json_nums(s$upper)))
}
km_at_inputs <- list(
    lung_all = list(lung$time, lung$status, c(0, 100, 182.5, 365, 730, 1000, 2000)),
    ovarian = list(ovarian$futime, ovarian$fustat, c(100, 365, 730, 1200)),
    veteran_trt1 = list(veteran$time[veteran$trt == 1], veteran$status[veteran$trt == 1],
                        c(30, 90, 180, 365)),
    ## 5 is an event time, 7 a censoring time, 12 the last (censored) time
    at_on_event_and_censor = list(c(2, 3, 3, 5, 7, 8, 10, 12), c(1, 1, 0, 1, 0, 1, 1, 0),
                                  c(3, 5, 6, 7, 12, 15)),
    at_before_first = list(c(4, 6, 6, 9, 11, 15), c(1, 0, 1, 1, 0, 1), c(1, 4, 10, 15)))
km_at_items <- character(0)
for (nm in names(km_at_inputs)) for (ct in c("log", "log-log", "plain"))
    km_at_items <- c(km_at_items, km_at_case(nm, km_at_inputs[[nm]][[1]], km_at_inputs[[nm]][[2]],
                                             km_at_inputs[[nm]][[3]], ct))

## ---------------------------------------------------------- CSV export ----

## The four datasets for tests that read CSV: a leading 1..n "id" column,
## factors as their labels, NA as "NA". colon's own (patient) id would clash
## with it, so it is renamed "patient_id".
data_dir <- file.path("tests", "conformance", "data")
dir.create(data_dir, showWarnings = FALSE)
csv_sets <- list(lung = survival::lung, veteran = survival::veteran,
                 ovarian = survival::ovarian, colon = survival::colon)
names(csv_sets$colon)[names(csv_sets$colon) == "id"] <- "patient_id"
for (nm in names(csv_sets)) {
    d <- cbind(data.frame(id = seq_len(nrow(csv_sets[[nm]]))), csv_sets[[nm]])
    path <- file.path(data_dir, paste0(nm, ".csv"))
    write.csv(d, path, row.names = FALSE, na = "NA")
    ## write.csv keeps 15 significant digits: check every value reads back
    back <- read.csv(path, stringsAsFactors = FALSE, check.names = FALSE)
    stopifnot(identical(names(back), names(d)), nrow(back) == nrow(d))
    for (j in names(d)) {
        if (is.factor(d[[j]])) stopifnot(identical(back[[j]], as.character(d[[j]])))
        else stopifnot(identical(as.double(back[[j]]), as.double(d[[j]])))
    }
}

writeLines(c("{", paste0("  \"generator\": \"tests/conformance/gen_surv.R\","),
             paste0("  \"R\": ", json_str(R.version.string), ","),
             paste0("  \"survival\": ", json_str(as.character(packageVersion("survival"))), ","),
             "  \"logrank\": [",
             paste0("    ", unlist(cases), collapse = ",\n"),
             "  ],", "  \"km\": [",
             paste0("    ", unlist(km_cases), collapse = ",\n"),
             "  ],", "  \"cox\": [",
             paste0("    ", cox_items, collapse = ",\n"),
             "  ],", "  \"zph\": [",
             paste0("    ", zph_items, collapse = ",\n"),
             "  ],", "  \"km_at\": [",
             paste0("    ", km_at_items, collapse = ",\n"),
             "  ]", "}"), out_file)
cat("wrote", out_file, ":", length(cases), "logrank cases,", length(km_cases), "km cases,",
    length(cox_items), "cox fits,", length(zph_items), "zph cases,", length(km_at_items),
    "km_at cases,", file.size(out_file), "bytes\n")
cat("wrote", paste0(file.path(data_dir, names(csv_sets)), ".csv"), "\n")
cat(sprintf("censored fraction of sim_n200, sim_n500, sim_n60: %.3f %.3f %.3f\n",
            sim_censored[1], sim_censored[2], sim_censored[3]))
if (length(r_warnings)) {
    cat("warnings R gave (expected for the edge cases):\n")
    cat(paste0("  ", r_warnings, "\n"), sep = "")
}
