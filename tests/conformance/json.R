# tests/conformance/json.R — the JSON writer the R generators share (sourced
# by gen_stats.R, gen_tests.R and gen_surv.R; no jsonlite). Numbers as
# %.17g (every double round-trips), NA and NaN as null, +-Inf as the strings
# "Infinity" and "-Infinity"; R warnings collected, not fatal.

json_num1 <- function(v) {
    if (is.null(v) || length(v) == 0L) return("null")
    if (is.na(v)) return("null")                    # NA and NaN
    if (is.infinite(v)) return(if (v > 0) "\"Infinity\"" else "\"-Infinity\"")
    sprintf("%.17g", as.double(v))
}
json_nums <- function(v) {
    if (length(v) == 0L) return("[]")
    paste0("[", paste(vapply(as.double(v), json_num1, ""), collapse = ","), "]")
}
json_ints <- function(v) {
    if (length(v) == 0L) return("[]")
    paste0("[", paste(sprintf("%d", as.integer(v)), collapse = ","), "]")
}
json_str <- function(s) {
    s <- gsub("\\", "\\\\", s, fixed = TRUE)
    s <- gsub("\"", "\\\"", s, fixed = TRUE)
    s <- gsub("\n", "\\n", s, fixed = TRUE)
    s <- gsub("\r", "\\r", s, fixed = TRUE)
    s <- gsub("\t", "\\t", s, fixed = TRUE)
    paste0("\"", s, "\"")
}
json_strs <- function(v) {
    if (length(v) == 0L) return("[]")
    paste0("[", paste(vapply(v, json_str, ""), collapse = ","), "]")
}
json_obj <- function(fields) {
    paste0("{", paste(paste0(json_str(names(fields)), ": ", unlist(fields)),
                      collapse = ", "), "}")
}
json_arr_lines <- function(items, indent = "    ") {
    if (length(items) == 0L) return("[]")
    paste0("[\n", paste0(indent, items, collapse = ",\n"), "\n  ]")
}

## Warnings R prints are collected and reported at the end (not fatal).
r_warnings <- character(0)
with_warnings <- function(label, expr) {
    withCallingHandlers(expr, warning = function(w) {
        r_warnings <<- c(r_warnings, paste0(label, ": ", conditionMessage(w)))
        invokeRestart("muffleWarning")
    })
}
