# Reference values for rglit's survival analysis (engine/stats/surv.c).
#
# Run from the repository root:
#     Rscript tests/conformance/gen_surv.R
# Writes tests/conformance/surv.json: for each case the inputs (time,
# status 0/1, group and strata labels as strings) and what R's survival
# package computes. Numbers as %.17g, NA as null.

suppressPackageStartupMessages(library(survival))
out_file <- file.path("tests", "conformance", "surv.json")
if (!dir.exists(file.path("tests", "conformance")))
    stop("run from the repository root: Rscript tests/conformance/gen_surv.R")

num1 <- function(v) if (is.na(v)) "null" else sprintf("%.17g", as.double(v))
nums <- function(v) paste0("[", paste(vapply(as.double(v), num1, ""), collapse = ","), "]")
str1 <- function(s) paste0("\"", gsub("\"", "\\\"", s, fixed = TRUE), "\"")
strs <- function(v) paste0("[", paste(vapply(as.character(v), str1, ""), collapse = ","), "]")

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
        paste0("\"case\": ", str1(name)),
        paste0("\"time\": ", nums(time)),
        paste0("\"status\": ", nums(status)),
        paste0("\"group\": ", strs(group)),
        paste0("\"strata\": ", if (is.null(strata)) "null" else strs(strata)),
        paste0("\"levels\": ", strs(levels(g))),
        paste0("\"n\": ", nums(as.vector(table(g)))),
        paste0("\"observed\": ", nums(obs)),
        paste0("\"expected\": ", nums(exp)),
        paste0("\"var\": ", nums(t(fit$var))),
        paste0("\"chisq\": ", num1(fit$chisq)),
        paste0("\"df\": ", num1(df)),
        paste0("\"p\": ", num1(p)))
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
writeLines(c("{", paste0("  \"generator\": \"tests/conformance/gen_surv.R\","),
             paste0("  \"R\": ", str1(R.version.string), ","),
             paste0("  \"survival\": ", str1(as.character(packageVersion("survival"))), ","),
             "  \"logrank\": [",
             paste0("    ", unlist(cases), collapse = ",\n"),
             "  ]", "}"), out_file)
cat("wrote", out_file, ":", length(cases), "logrank cases\n")
