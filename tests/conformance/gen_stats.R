# Reference values for rglit's p.adjust and cor.test implementations.
#
# Run from the repository root:
#     Rscript tests/conformance/gen_stats.R
# Writes tests/conformance/stats.json. Base R plus the survival package's
# datasets only; the JSON is written by hand (no jsonlite). See README.md in
# this folder for the layout and the definitions used.

suppressPackageStartupMessages(library(survival))

out_file <- file.path("tests", "conformance", "stats.json")
data_root <- file.path("..", "shared", "data")
if (!dir.exists(file.path("tests", "conformance")))
    stop("run from the repository root: Rscript tests/conformance/gen_stats.R")

source(file.path("tests", "conformance", "json.R"))

## ------------------------------------------------------------ cor.test ----

## Runs cor.test(x, y, method, exact = FALSE) on the complete pairs and returns
## a list of encoded fields: n, r, statistic, df, p (+ t, S for Spearman;
## + t for Pearson, equal to statistic).
cor_fields <- function(x, y, method, label) {
    keep <- complete.cases(x, y)
    xx <- x[keep]; yy <- y[keep]
    n <- length(xx)
    f <- list(n = json_num1(n))
    if (n < 3L) {
        ## Pearson: R stops with "not enough finite observations".
        ## Spearman: R returns rho = +-1 with p NaN (pt with df = 0).
        ## Both are recorded as null here.
        f$r <- "null"; f$statistic <- "null"; f$df <- "null"
        if (method == "spearman") { f$S <- "null" }
        f$t <- "null"; f$p <- "null"
        f$note <- json_str("too few")
        attr(f, "p") <- NA_real_
        return(f)
    }
    ct <- with_warnings(label, cor.test(xx, yy, method = method, exact = FALSE))
    r <- unname(ct$estimate)
    p <- ct$p.value
    df <- n - 2
    if (method == "pearson") {
        tt <- unname(ct$statistic)
        f$r <- json_num1(r); f$statistic <- json_num1(tt); f$df <- json_num1(df)
        f$t <- json_num1(tt); f$p <- json_num1(p)
    } else {
        S <- unname(ct$statistic)
        den <- (n * (n^2 - 1)) / 6          # as in R's pspearman()
        rp <- 1 - S / den
        tt <- rp / sqrt((1 - rp^2) / (n - 2))
        f$r <- json_num1(r); f$statistic <- json_num1(S); f$df <- json_num1(df)
        f$S <- json_num1(S); f$t <- json_num1(tt); f$p <- json_num1(p)
    }
    if (is.na(r) && (length(unique(xx)) == 1L || length(unique(yy)) == 1L))
        f$note <- json_str("constant")
    attr(f, "p") <- p
    f
}

cor_case <- function(name, x, y, method, note = NULL) {
    f <- cor_fields(x, y, method, paste0("cor ", name, " ", method))
    head <- list(case = json_str(name), method = json_str(method),
                 x = json_nums(x), y = json_nums(y))
    res <- c(head, f)   # c() drops the "p" attribute
    if (!is.null(note)) {
        res$note <- if (is.null(res$note)) json_str(note)
                    else json_str(paste(fromJSONstr(res$note), note, sep = "; "))
    }
    list(json = json_obj(res), p = attr(f, "p"))
}
fromJSONstr <- function(s) substr(s, 2L, nchar(s) - 1L)

methods_cor <- c("pearson", "spearman")
cor_items <- character(0)
add_cor <- function(name, x, y, note = NULL) {
    ps <- numeric(0)
    for (m in methods_cor) {
        cc <- cor_case(name, x, y, m, note)
        cor_items <<- c(cor_items, cc$json)
        ps <- c(ps, cc$p)
    }
    invisible(ps)
}

## survival::lung, all pairs of these columns (NAs and ties).
lung <- survival::lung
lung_cols <- c("age", "ph.ecog", "ph.karno", "pat.karno", "meal.cal",
               "wt.loss", "time")
lung_p <- numeric(0)            # p-values in case order, reused by p_adjust
for (pr in combn(lung_cols, 2L, simplify = FALSE)) {
    nm <- paste0("lung_", pr[1], "_vs_", pr[2])
    for (m in methods_cor) {
        cc <- cor_case(nm, as.numeric(lung[[pr[1]]]), as.numeric(lung[[pr[2]]]), m)
        cor_items <- c(cor_items, cc$json)
        lung_p <- c(lung_p, cc$p)
    }
}

## survival::veteran, all pairs.
veteran <- survival::veteran
vet_cols <- c("time", "karno", "diagtime", "age")
for (pr in combn(vet_cols, 2L, simplify = FALSE))
    add_cor(paste0("veteran_", pr[1], "_vs_", pr[2]),
            as.numeric(veteran[[pr[1]]]), as.numeric(veteran[[pr[2]]]))

## Edge cases.
add_cor("n3", c(1.5, 2.25, 4), c(0.3, 0.1, 0.7))
add_cor("n3_with_na", c(2, NA, 5, 7, 1), c(1, 3, NA, 2, 9))
add_cor("perfect_positive", 1:6, 2 * (1:6) + 3)        # R: r = 1, p = 0
add_cor("perfect_negative", 1:6, -(1:6))               # R: r = -1, p = 0
add_cor("near_perfect_positive", 1:5, 2 * (1:5),       # R: r = 1 - ulp
        note = "rounding")
add_cor("heavy_ties", c(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3),
        c(0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1))
add_cor("ties_both_two_levels", c(0, 0, 0, 1, 1, 1, 1, 0),
        c(5, 5, 7, 7, 7, 5, 7, 7))
add_cor("outlier_1e12", c(1, 2, 3, 4, 5, 6, 7, 8, 9, 1e12),
        c(2.1, 3.9, 6.2, 8.1, 9.7, 12.2, 13.8, 16.1, 18.3, 15.0))
add_cor("tiny_1e-150", c(1.2, 3.4, 2.2, 5.1, 4.4, 6.9) * 1e-150,
        c(2.0, 2.9, 3.3, 4.1, 6.0, 5.2) * 1e-150)
## R's cor() sums in long double but multiplies the two standard deviations
## in double: at 1e-160 that product is subnormal (R's r loses digits), at
## 1e-300 it underflows to 0 and R returns NaN without a warning. With only
## one tiny column R is exact. Marked "underflow": R-internal behaviour.
add_cor("tiny_1e-160", c(1.2, 3.4, 2.2, 5.1, 4.4, 6.9) * 1e-160,
        c(2.0, 2.9, 3.3, 4.1, 6.0, 5.2) * 1e-160, note = "underflow")
add_cor("tiny_1e-300", c(1.2, 3.4, 2.2, 5.1, 4.4, 6.9) * 1e-300,
        c(2.0, 2.9, 3.3, 4.1, 6.0, 5.2) * 1e-300, note = "underflow")
add_cor("mixed_scale_1e-300", c(1.2, 3.4, 2.2, 5.1, 4.4, 6.9) * 1e-300,
        c(2.0, 2.9, 3.3, 4.1, 6.0, 5.2), note = "underflow")
add_cor("constant_y", c(1, 2, 3, 4, 5), c(7, 7, 7, 7, 7))
add_cor("constant_x_after_na", c(3, 3, NA, 3, 3), c(1, 2, 3, 4, 5))
add_cor("too_few_after_na", c(1, NA, 2, 3, NA), c(4, 5, NA, 6, 1))
add_cor("negative_moderate", c(10.5, 9.1, 8.7, 7.2, 7.9, 5.5, 4.1, 4.4, 2.0),
        c(0.2, 0.5, 0.4, 0.9, 0.6, 1.3, 1.1, 1.8, 2.2))

## ------------------------------------------------------------ p.adjust ----

padj_methods <- c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "none")
set.seed(20201118); p_runif <- runif(200)
set.seed(1); p_mix <- c(rbeta(100, 0.1, 1), runif(900))
padj_inputs <- list(
    ties        = c(0.01, 0.02, 0.02, 0.04, 0.5, 0.001, 1),
    na_mixed    = c(NA, 0.03, 0.2, NA, 0.001, 0.04, NA, 0.6, 0.01, NA),
    empty       = numeric(0),
    single      = 0.03,
    pair        = c(0.04, 0.02),
    all_equal   = rep(0.3, 5),
    zero_one    = c(0, 1, 0.5, 0, 1, 0.03),
    tiny        = c(1e-300, 5e-324, 0.2, 1e-10, 0.9),
    runif200    = p_runif,
    mixture1000 = p_mix,
    lung_cor_p  = lung_p
)
padj_items <- character(0)
for (nm in names(padj_inputs)) {
    p <- padj_inputs[[nm]]
    for (m in padj_methods) {
        e <- with_warnings(paste("p.adjust", nm, m), p.adjust(p, method = m))
        padj_items <- c(padj_items, json_obj(list(
            case = json_str(nm), method = json_str(m),
            p = json_nums(p), expected = json_nums(e))))
    }
}

## ------------------------------------------------------------ cor_data ----

data_items <- character(0)
data_md5 <- character(0)
rel_rad <- "nsclc-radiogenomics/Lung_radiomic_features_new_cohort_n44.csv"
rel_gen <- "nsclc-radiogenomics/Lung_gene_expression_new_cohort_n44.csv"
f_rad <- file.path(data_root, rel_rad)
f_gen <- file.path(data_root, rel_gen)
if (file.exists(f_rad) && file.exists(f_gen)) {
    rad <- read.csv(f_rad, check.names = FALSE)
    gen <- read.csv(f_gen, check.names = FALSE)
    stopifnot(identical(rad$ID, gen$ID))
    md5 <- tools::md5sum(c(f_rad, f_gen))
    data_md5 <- vapply(seq_along(md5), function(i) json_obj(list(
        file = json_str(c(rel_rad, rel_gen)[i]), md5 = json_str(unname(md5[i])))), "")
    nonconst <- function(d) {
        cols <- setdiff(names(d), "ID")
        cols[vapply(cols, function(cn) {
            v <- d[[cn]]
            is.numeric(v) && length(unique(v[!is.na(v)])) > 1L
        }, TRUE)]
    }
    rad_cols <- nonconst(rad)
    gen_cols <- nonconst(gen)
    set.seed(44)
    pick_f <- sample(rad_cols, 40L)
    pick_g <- sample(gen_cols, 40L)
    pairs <- Map(c, pick_f, pick_g, USE.NAMES = FALSE)
    fixed <- list(c("original_shape_Elongation", "A2M"),
                  c("wavelet-LLH_glcm_ClusterShade", "AAAS"))
    for (pr in fixed)
        if (pr[1] %in% names(rad) && pr[2] %in% names(gen))
            pairs <- c(pairs, list(pr))
        else message("cor_data: pair ", pr[1], " / ", pr[2], " not present; skipped")
    for (pr in pairs) {
        x <- as.numeric(rad[[pr[1]]]); y <- as.numeric(gen[[pr[2]]])
        keep <- complete.cases(x, y)
        for (m in methods_cor) {
            nm <- paste0("n44_", pr[1], "_vs_", pr[2])
            ct <- with_warnings(paste("cor_data", nm, m),
                                cor.test(x[keep], y[keep], method = m, exact = FALSE))
            data_items <- c(data_items, json_obj(list(
                case = json_str(nm), method = json_str(m),
                file_x = json_str(rel_rad), col_x = json_str(pr[1]),
                file_y = json_str(rel_gen), col_y = json_str(pr[2]),
                n = json_num1(sum(keep)), r = json_num1(unname(ct$estimate)),
                p = json_num1(ct$p.value))))
        }
    }
} else {
    message("cor_data: ", f_rad, " or ", f_gen, " not found; section left empty")
}

## --------------------------------------------------------------- write ----

txt <- paste0(
    "{\n",
    "  \"generator\": ", json_str("tests/conformance/gen_stats.R"), ",\n",
    "  \"R\": ", json_str(R.version.string), ",\n",
    "  \"survival\": ", json_str(as.character(packageVersion("survival"))), ",\n",
    "  \"cor_data_files\": ", json_arr_lines(data_md5), ",\n",
    "  \"p_adjust\": ", json_arr_lines(padj_items), ",\n",
    "  \"cor\": ", json_arr_lines(cor_items), ",\n",
    "  \"cor_data\": ", json_arr_lines(data_items), "\n",
    "}\n")
con <- file(out_file, open = "wb")
writeChar(txt, con, eos = NULL)
close(con)

cat(sprintf("wrote %s: %d p_adjust, %d cor, %d cor_data cases, %d bytes\n",
            out_file, length(padj_items), length(cor_items), length(data_items),
            file.size(out_file)))
if (length(r_warnings)) {
    cat("warnings R gave (expected for the edge cases):\n")
    cat(paste0("  ", unique(r_warnings), "\n"), sep = "")
}
