# Reference values for rglit's survival analysis (engine/stats/surv.c).
#
# Run from the repository root:
#     Rscript tests/conformance/gen_surv.R
# Writes tests/conformance/surv.json: for each case the inputs (time,
# status 0/1, group and strata labels as strings) and what R's survival
# package computes, written by json.R.

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

writeLines(c("{", paste0("  \"generator\": \"tests/conformance/gen_surv.R\","),
             paste0("  \"R\": ", json_str(R.version.string), ","),
             paste0("  \"survival\": ", json_str(as.character(packageVersion("survival"))), ","),
             "  \"logrank\": [",
             paste0("    ", unlist(cases), collapse = ",\n"),
             "  ],", "  \"km\": [",
             paste0("    ", unlist(km_cases), collapse = ",\n"),
             "  ]", "}"), out_file)
cat("wrote", out_file, ":", length(cases), "logrank cases,", length(km_cases), "km cases\n")
