# Reference values for rglit's hierarchical clustering (engine/stats/hclust.h):
# stats::hclust on dissimilarities from stats::dist or 1 - cor(t(x)).
#
# Run from the repository root:
#     Rscript tests/conformance/gen_hclust.R
# Writes tests/conformance/hclust.json with json.R's conventions (numbers as
# %.17g, NA as null). Base R only. The inputs are stored with the expected
# values, so the C test (tests/unit/test_hclust.c) needs no R. See README.md
# in this folder.

out_file <- file.path("tests", "conformance", "hclust.json")
if (!dir.exists(file.path("tests", "conformance")))
    stop("run from the repository root: Rscript tests/conformance/gen_hclust.R")

source(file.path("tests", "conformance", "json.R"))

linkages <- c("average", "complete", "single", "mcquitty", "median", "centroid", "ward.D2")

## The dissimilarities rglit computes, as R computes them.
diss <- function(x, distance) {
    switch(distance,
           euclidean = dist(x, method = "euclidean"),
           manhattan = dist(x, method = "manhattan"),
           correlation = as.dist(1 - cor(t(x))),
           abs_correlation = as.dist(1 - abs(cor(t(x)))),
           stop("unknown distance ", distance))
}

data_items <- character(0)
case_items <- character(0)
n_cases <- 0L

add_data <- function(name, x = NULL, d = NULL, note = NULL) {
    f <- list(name = json_str(name))
    if (!is.null(x)) {
        x <- as.matrix(x)
        f <- c(f, list(n = json_num1(nrow(x)), p = json_num1(ncol(x)),
                       x = json_nums(as.vector(t(x)))))   # row by row
    } else {
        f <- c(f, list(n = json_num1(attr(d, "Size")), dist = json_nums(as.vector(d))))
    }
    if (!is.null(note)) f$note <- json_str(note)
    data_items <<- c(data_items, json_obj(f))
}

add_case <- function(data_name, d, distance) {
    for (l in linkages) {
        h <- with_warnings(paste(data_name, distance, l), hclust(d, method = l))
        f <- list(case = json_str(paste(data_name, distance, l, sep = "/")),
                  data = json_str(data_name), distance = json_str(distance),
                  linkage = json_str(l), n = json_num1(attr(d, "Size")),
                  merge = json_ints(as.vector(t(h$merge))),   # a1, b1, a2, b2, ...
                  height = json_nums(h$height),
                  order = json_ints(h$order))
        case_items <<- c(case_items, json_obj(f))
        n_cases <<- n_cases + 1L
    }
}

## A data matrix with the distances given; rows are the observations.
add_matrix <- function(name, x, distances, note = NULL) {
    add_data(name, x = x, note = note)
    for (dn in distances) add_case(name, diss(x, dn), dn)
}

all_d <- c("euclidean", "manhattan", "correlation", "abs_correlation")

add_matrix("usarrests", USArrests, all_d)
add_matrix("usarrests_scaled", scale(USArrests), all_d)
add_matrix("mtcars_scaled", scale(mtcars), all_d)
## iris has duplicated rows (102 and 143) and, measured to 0.1 cm, many tied
## distances.
add_matrix("iris", iris[, 1:4], all_d, note = "duplicated rows 102 and 143; tied distances")
add_matrix("iris_setosa_2var", iris[1:50, 1:2], c("euclidean", "manhattan"),
           note = "two variables to 0.1: many duplicated rows and exact ties")
add_matrix("two_points", rbind(c(0, 0), c(3, 4)), c("euclidean", "manhattan"))
## A 4 x 3 integer grid: every distance is tied with others.
add_matrix("grid_4x3", as.matrix(expand.grid(x = 1:4, y = 1:3)), c("euclidean", "manhattan"),
           note = "exact ties everywhere")
set.seed(20240601)
add_matrix("random300", matrix(rnorm(300 * 5), 300, 5), all_d)
set.seed(20240602)
add_matrix("random300_int", matrix(sample(0:3, 300 * 3, replace = TRUE), 300, 3),
           c("euclidean", "manhattan"),
           note = "values 0..3 in 3 variables: 64 distinct rows among 300, ties everywhere")
## Missing values: dist() sums over the variables both rows have and scales
## by p / (their number).
usa_na <- as.matrix(USArrests)
usa_na[cbind(c(3, 7, 7, 20, 41, 50), c(1, 2, 4, 3, 1, 4))] <- NA
add_matrix("usarrests_na", usa_na, c("euclidean", "manhattan"),
           note = "six missing values: R's pairwise rescaling")

## Dissimilarities given directly.
add_data("eurodist", d = eurodist, note = "road distances between 21 cities (integers)")
add_case("eurodist", eurodist, "given")
tie_d <- dist(c(0, 1, 2, 3, 5, 6, 7, 10))
add_data("line_ties", d = tie_d, note = "points on a line: many distances of 1")
add_case("line_ties", tie_d, "given")

## --------------------------------------------------------------- write ----

txt <- paste0(
    "{\n",
    "  \"generator\": ", json_str("tests/conformance/gen_hclust.R"), ",\n",
    "  \"R\": ", json_str(R.version.string), ",\n",
    "  \"linkages\": ", json_strs(linkages), ",\n",
    "  \"data\": ", json_arr_lines(data_items), ",\n",
    "  \"cases\": ", json_arr_lines(case_items), "\n",
    "}\n")
con <- file(out_file, open = "wb")
writeChar(txt, con, eos = NULL)
close(con)

cat(sprintf("wrote %s: %d data sets, %d cases, %d bytes\n", out_file, length(data_items),
            n_cases, file.size(out_file)))
if (length(r_warnings)) {
    cat("warnings R gave:\n")
    cat(paste0("  ", unique(r_warnings), "\n"), sep = "")
}
