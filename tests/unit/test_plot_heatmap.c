/* tests/unit/test_plot_heatmap.c — plot_heatmap (engine/plot_heatmap.c):
 * the golden figures (a 12 x 20 correlation heat map, and 60 x 200 with a
 * bound on its size), the compact cell paths, the dendrograms drawn from
 * hand-made trees, and odd inputs that must stay well-formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "stats/hclust.h"
#include "unit.h"

/* ---- data: correlations of features and genes driven by shared factors ---- */

static uint64_t rng_state;

static double unif(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }

static double pearson(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* r (p x q, row by row) between p features and q genes over n samples that
 * share 3 latent factors: each variable loads on one factor (i % 3, with a
 * sign) plus noise. */
static void cor_data(size_t p, size_t q, size_t n, uint64_t seed, double *r)
{
    rng_state = seed;
    double *f = malloc(3 * n * sizeof *f), *a = malloc(p * n * sizeof *a),
           *b = malloc(q * n * sizeof *b);
    for (size_t i = 0; i < 3 * n; i++)
        f[i] = gauss();
    for (size_t v = 0; v < p + q; v++) {
        double *x = v < p ? a + v * n : b + (v - p) * n;
        size_t k = (v * 7 + v / 5) % 3;
        double load = (0.4 + 0.5 * unif()) * (v % 4 == 1 ? -1 : 1);
        for (size_t i = 0; i < n; i++)
            x[i] = load * f[k * n + i] + (1 - load * load / 2) * gauss();
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < q; j++)
            r[i * q + j] = pearson(a + i * n, b + j * n, n);
    free(f);
    free(a);
    free(b);
}

/* Cluster the n rows (m values each) of x as plot.heatmap does: euclidean,
 * average linkage. */
static void cluster(const double *x, size_t n, size_t m, rg_hclust *h, rg_plot_tree *t)
{
    double *d = malloc(n * (n - 1) / 2 * sizeof *d);
    size_t a, b;
    CHECK(hclust_dist(x, n, m, RG_DIST_EUCLIDEAN, d, &a, &b) == RG_HDIST_OK);
    CHECK(hclust_compute(d, n, RG_LINK_AVERAGE, h) == 0);
    free(d);
    *t = (rg_plot_tree){h->n, h->merge, h->height, h->order};
}

static double *transpose(const double *x, size_t n, size_t m)
{
    double *t = malloc(n * m * sizeof *t);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            t[j * n + i] = x[i * m + j];
    return t;
}

static size_t count(const char *s, const char *what)
{
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        k++;
    return k;
}

static const char *const features[12] = {
    "shape_Sphericity",      "shape_Elongation",    "firstorder_Entropy",
    "firstorder_Skewness",   "glcm_Contrast",       "glcm_Correlation",
    "glrlm_RunEntropy",      "glszm_ZoneVariance",  "ngtdm_Coarseness",
    "wavelet_LLH_Energy",    "log_sigma3_Kurtosis", "gldm_DependenceNU"};

static const char *const genes[20] = {
    "EGFR",  "MKI67", "TP53",   "CDKN2A", "VEGFA", "HIF1A", "CA9",  "PDCD1", "CD274",
    "CD8A",  "FOXP3", "MYC",    "CCND1",  "ERBB2", "KRAS",  "PTEN", "SOX2",  "ALDH1A1",
    "COL1A1", "FN1"};

static void test_golden_heatmap(void)
{
    double r[12 * 20];
    cor_data(12, 20, 60, 0x9E3779B97F4A7C15ull, r);
    r[3 * 20 + 7] = NAN; /* a pair without enough complete cases */
    rg_hclust hr, hc;
    rg_plot_tree tr, tc;
    double r0[12 * 20];
    memcpy(r0, r, sizeof r);
    r0[3 * 20 + 7] = 0;
    cluster(r0, 12, 20, &hr, &tr);
    double *rt = transpose(r0, 12, 20);
    cluster(rt, 20, 12, &hc, &tc);
    rg_plot_heatmap o = {.nrow = 12,
                         .ncol = 20,
                         .z = r,
                         .row_names = features,
                         .col_names = genes,
                         .row_tree = &tr,
                         .col_tree = &tc,
                         .diverging = 1,
                         .zlo = -1,
                         .zhi = 1,
                         .cell_labels = -1,
                         .title = "Radiomic features and gene expression",
                         .xlab = "Gene",
                         .ylab = "Feature",
                         .legend_title = "r",
                         .width = 900,
                         .height = 560};
    rg_buf b = {0};
    double h = 0;
    CHECK(plot_heatmap(&b, &o, &h) == 0);
    CHECK(h == 560);
    const char *svg = buf_cstr(&b);
    check_svg("golden heatmap", svg);
    CHECK(count(svg, "class=\"rg-dendro\"") == 2);
    CHECK(count(svg, "<path stroke=\"#") >= 20);
    CHECK(strstr(svg, "<path stroke=\"#BBBBBB\" d=\"") != NULL); /* the NaN cell */
    CHECK(strstr(svg, ">shape_Sphericity</text>") != NULL);
    CHECK(strstr(svg, ">ALDH1A1</text>") != NULL);
    CHECK(strstr(svg, "class=\"rg-cellv rg-mid\"") != NULL); /* cells of 30 px: values */
    CHECK(count(svg, "</text>") > 12 * 20);
    CHECK(strstr(svg, ">r</text>") != NULL);
    CHECK(strstr(svg, ">-1</text>") != NULL && strstr(svg, ">1</text>") != NULL);
    CHECK(strstr(svg, "rotate(-90)\">EGFR</text>") != NULL); /* vertical: too wide */
    printf("info heatmap.svg: %zu bytes\n", strlen(svg));
    golden("heatmap.svg", svg);
    buf_free(&b);
    free(rt);
    hclust_free(&hr);
    hclust_free(&hc);
}

#define LARGE_BOUND 100000 /* bytes: the 60 x 200 heat map below takes 88380 */

static void test_golden_heatmap_large(void)
{
    size_t p = 60, q = 200;
    double *r = malloc(p * q * sizeof *r);
    cor_data(p, q, 80, 12345, r);
    char **rn = malloc(p * sizeof *rn), **cn = malloc(q * sizeof *cn);
    for (size_t i = 0; i < p; i++) {
        rn[i] = malloc(16);
        snprintf(rn[i], 16, "feature_%02zu", i + 1);
    }
    for (size_t j = 0; j < q; j++) {
        cn[j] = malloc(16);
        snprintf(cn[j], 16, "gene_%03zu", j + 1);
    }
    rg_hclust hr, hc;
    rg_plot_tree tr, tc;
    cluster(r, p, q, &hr, &tr);
    double *rt = transpose(r, p, q);
    cluster(rt, q, p, &hc, &tc);
    rg_plot_heatmap o = {.nrow = p,
                         .ncol = q,
                         .z = r,
                         .row_names = (const char *const *)rn,
                         .col_names = (const char *const *)cn,
                         .row_tree = &tr,
                         .col_tree = &tc,
                         .diverging = 1,
                         .zlo = NAN,
                         .zhi = NAN,
                         .cell_labels = -1,
                         .title = "60 features x 200 genes",
                         .legend_title = "r",
                         .width = 900,
                         .height = 640};
    rg_buf b = {0};
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("large heatmap", svg);
    size_t len = strlen(svg);
    printf("info heatmap_large.svg: %zu bytes\n", len);
    CHECK(len < LARGE_BOUND);
    CHECK(strstr(svg, "rg-cellv") == NULL);           /* no values in small cells */
    CHECK(count(svg, "<path stroke=\"#") <= 63);          /* one path per colour */
    CHECK(count(svg, "class=\"rg-dendro\"") == 2);
    CHECK(count(svg, ">feature_") < 60 && count(svg, ">feature_") >= 15); /* thinned */
    CHECK(count(svg, ">gene_") < 200 && count(svg, ">gene_") >= 40);
    golden("heatmap_large.svg", svg);
    buf_free(&b);
    for (size_t i = 0; i < p; i++)
        free(rn[i]);
    for (size_t j = 0; j < q; j++)
        free(cn[j]);
    free(rn);
    free(cn);
    free(r);
    free(rt);
    hclust_free(&hr);
    hclust_free(&hc);
}

/* The cells: a path per colour, a stroke per run of equal colour in a
 * row, moves absolute or relative, whichever is shorter. */
static void test_heatmap_cells(void)
{
    double z[6] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    rg_plot_heatmap o = {.nrow = 2, .ncol = 3, .z = z, .diverging = 1, .zlo = -1, .zhi = 1,
                         .cell_labels = 0, .width = 300, .height = 200};
    rg_buf b = {0};
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    check_svg("constant", buf_cstr(&b));
    CHECK(strstr(b.data, " d=\"M0 0h3M0 1h3\"/>") != NULL);
    CHECK(count(b.data, "<path stroke=") == 1);
    /* rows {a a b}, {a a b}, {b a a} */
    double y[9] = {-1, -1, 1, -1, -1, 1, 1, -1, -1};
    o.nrow = 3;
    o.z = y;
    b.len = 0;
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    check_svg("runs", buf_cstr(&b));
    CHECK(strstr(b.data, "<path stroke=\"#073467\" d=\"M0 0h2M0 1h2M1 2h2\"/>") != NULL);
    CHECK(strstr(b.data, " d=\"M2 0h1M2 1h1M0 2h1\"/>") != NULL);
    CHECK(count(b.data, "<path stroke=") == 2);
    /* a cell's colour: -1 the darkest blue level, 0 white */
    double w[3] = {-1, 0, 1};
    o.nrow = 1;
    o.z = w;
    b.len = 0;
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    CHECK(strstr(b.data, "<path stroke=\"#F7F7F7\" d=\"M1 0h1\"/>") != NULL);
    CHECK(strstr(b.data, "<path stroke=\"#073467\" d=\"M0 0h1\"/>") != NULL);
    CHECK(strstr(b.data, "<path stroke=\"#6D0220\" d=\"M2 0h1\"/>") != NULL);
    CHECK(strstr(b.data, "translate(") != NULL && strstr(b.data, ") scale(") != NULL);
    /* far along a row, a relative move is shorter */
    double v[130];
    for (size_t i = 0; i < 130; i++)
        v[i] = i == 120 || i == 125 ? 1 : 0;
    o.ncol = 130;
    o.z = v;
    o.width = 900;
    b.len = 0;
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    check_svg("relative", buf_cstr(&b));
    CHECK(strstr(b.data, " d=\"M120 0h1m4 0h1\"/>") != NULL);
    CHECK(strstr(b.data, " d=\"M0 0h120m1 0h4m1 0h4\"/>") != NULL);
    buf_free(&b);
}

/* A tree made by hand: rows 1 and 3 join at 1, then row 2 at 3; drawn in
 * the order 2, 1, 3. The dendrogram lies left of the rows. */
static void test_heatmap_tree(void)
{
    double z[6] = {0.1, 0.2, 0.9, 0.8, 0.15, 0.25};
    const char *rows[3] = {"one", "two", "three"}, *cols[2] = {"a", "b"};
    int merge[4] = {-1, -3, -2, 1}, order[3] = {2, 1, 3};
    double hgt[2] = {1, 3};
    rg_plot_tree t = {3, merge, hgt, order};
    rg_plot_heatmap o = {.nrow = 3,  .ncol = 2,      .z = z,         .row_names = rows,
                         .col_names = cols, .row_tree = &t, .diverging = 0, .zlo = NAN,
                         .zhi = NAN, .cell_labels = 1, .width = 400,   .height = 300};
    rg_buf b = {0};
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    const char *svg = buf_cstr(&b);
    check_svg("tree", svg);
    const char *two = strstr(svg, ">two</text>"), *one = strstr(svg, ">one</text>"),
               *three = strstr(svg, ">three</text>");
    CHECK(two && one && three && two < one && one < three);
    CHECK(count(svg, "class=\"rg-dendro\"") == 1);
    /* values with 3 digits: not all within [-1, 1]? they are: 2 decimals */
    CHECK(strstr(svg, ">0.90</text>") != NULL && strstr(svg, ">0.15</text>") != NULL);
    /* the dendrogram: merge 1 joins places 1 and 2 at a third of the
     * width, merge 2 joins place 0 and their middle at the full width */
    const char *d = strstr(svg, "class=\"rg-dendro\" d=\"");
    CHECK(d != NULL);
    if (d) {
        double x0, y0, x1, y1, x2, x3, y3, x4;
        CHECK(sscanf(d + 21, "M%lf %lfH%lfV%lfH%lfM%lf %lfH%lfV", &x0, &y0, &x1, &y1, &x2,
                     &x3, &y3, &x4) == 8);
        CHECK(x0 == x2 && x0 - x1 > 5);           /* leaves at the cells, U at height 1 */
        CHECK(fabs((x0 - x4) - 3 * (x0 - x1)) < 0.2); /* height 3 is 3 times as far */
        CHECK(y3 < y0);                           /* place 0 (row 2) above place 1 */
    }
    /* an invalid tree (a leaf twice) is ignored: input order, no dendrogram */
    merge[3] = -1;
    b.len = 0;
    CHECK(plot_heatmap(&b, &o, NULL) == 0);
    svg = buf_cstr(&b);
    check_svg("bad tree", svg);
    CHECK(strstr(svg, "rg-dendro") == NULL);
    one = strstr(svg, ">one</text>");
    two = strstr(svg, ">two</text>");
    CHECK(one && two && one < two);
    buf_free(&b);
}

/* Odd inputs: non-finite values, empty and one-cell matrices, hostile
 * labels, tiny sizes, all NaN. */
static void test_heatmap_odd(void)
{
    double z[6] = {NAN, INFINITY, -INFINITY, 1e308, -1e-300, 0};
    const char *rows[2] = {"<&>\"'", "bad \xFF\xFE utf8"},
               *cols[3] = {"", "\x01\x02", "a very long label indeed that goes on"};
    int merge[2] = {-1, -2}, order[2] = {2, 1};
    double hgt[1] = {NAN};
    rg_plot_tree t = {2, merge, hgt, order};
    double sizes[][2] = {{640, 480}, {150, 150}, {10, 10}, {0, 0}, {NAN, NAN}};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
        for (int div = 0; div < 2; div++) {
            rg_plot_heatmap o = {.nrow = 2,       .ncol = 3,         .z = z,
                                 .row_names = rows, .col_names = cols, .row_tree = &t,
                                 .col_tree = &t,  .diverging = div,  .zlo = NAN,
                                 .zhi = NAN,      .cell_labels = 1,  .title = "<odd & odd>",
                                 .xlab = "x\xC3", .ylab = "y",       .legend_title = "<v>",
                                 .width = sizes[k][0], .height = sizes[k][1]};
            rg_buf b = {0};
            CHECK(plot_heatmap(&b, &o, NULL) == 0);
            check_svg("odd", buf_cstr(&b));
            CHECK(strstr(b.data, "aria-label=\"&lt;odd &amp; odd&gt;\"") != NULL);
            CHECK(k > 0 || strstr(b.data, ">&lt;odd &amp; odd&gt;</text>") != NULL);
            buf_free(&b);
        }
    /* empty, one cell, all NaN, a constant, given limits */
    double one = 3, nan4[4] = {NAN, NAN, NAN, NAN}, c4[4] = {2, 2, 2, 2};
    struct {
        size_t nr, nc;
        const double *z;
        int div;
        double lo, hi;
    } cases[] = {{0, 0, NULL, 1, NAN, NAN},   {0, 5, nan4, 0, NAN, NAN},
                 {1, 1, &one, 1, NAN, NAN},   {1, 1, &one, 0, NAN, NAN},
                 {2, 2, nan4, 1, NAN, NAN},   {2, 2, nan4, 0, NAN, NAN},
                 {2, 2, c4, 0, NAN, NAN},     {2, 2, c4, 1, 5, 1},
                 {2, 2, c4, 0, -1e308, 1e308}, {2, 2, c4, 1, 0, 0}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        rg_plot_heatmap o = {.nrow = cases[k].nr,
                             .ncol = cases[k].nc,
                             .z = cases[k].z,
                             .diverging = cases[k].div,
                             .zlo = cases[k].lo,
                             .zhi = cases[k].hi,
                             .cell_labels = -1,
                             .width = 300,
                             .height = 200};
        rg_buf b = {0};
        double h = 0;
        CHECK(plot_heatmap(&b, &o, &h) == 0);
        CHECK(h >= 200);
        check_svg("odd case", buf_cstr(&b));
        buf_free(&b);
    }
}

const unit_test plot_heatmap_tests[] = {{"heatmap_golden", test_golden_heatmap},
                                        {"heatmap_golden_large", test_golden_heatmap_large},
                                        {"heatmap_cells", test_heatmap_cells},
                                        {"heatmap_tree", test_heatmap_tree},
                                        {"heatmap_odd", test_heatmap_odd},
                                        {NULL, NULL}};
