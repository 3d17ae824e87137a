# rglit — build, test and install. `make demo` and `make test` install missing
# Debian packages first (vendor/install-deps.sh; make test also
# vendor/test-packages.txt), then build in a sub-make so that pkg-config runs
# only once the libraries are there.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
CC       ?= cc
BUILD    := build

PKGS     := lua5.4 gsl openblas libcmark yaml-0.1 libcjson nettle
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Werror
CFLAGS   ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# GSL's BLAS calls must reach OpenBLAS's CBLAS. Debian's libgsl itself needs
# its reference libgslcblas, so OpenBLAS is linked unconditionally (not
# --as-needed) and ahead of GSL: global symbol lookup then binds cblas_* to
# OpenBLAS (tests/unit/test_build.c and tests/cli/build.sh check it).
PKG_LIBS   = $(shell pkg-config --libs lua5.4 libcmark yaml-0.1 libcjson nettle) \
             -Wl,--push-state,--no-as-needed $(shell pkg-config --libs openblas) -Wl,--pop-state \
             -lgsl -lcsv -lm -pthread
ALL_CFLAGS = -std=c11 -pthread -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -I engine -I $(BUILD) -MMD -MP

ENGINE_SRC := engine/buf.c engine/value.c engine/fmt.c engine/table.c engine/rng.c engine/par.c \
              engine/doc.c engine/host.c engine/report.c \
              engine/lua_value.c engine/lua_base.c engine/lua_rg.c engine/lua_rng.c \
              engine/lua_stats.c engine/stats/padjust.c engine/stats/cor.c \
              engine/stats/cormat.c engine/stats/scale.c engine/stats/tests.c \
              engine/stats/ols.c engine/stats/roc.c engine/stats/perm.c engine/stats/surv.c engine/stats/cox.c \
              engine/stats/hclust.c \
              engine/frame.c engine/lua_frame.c engine/lua_surv.c \
              engine/svg.c engine/plot.c engine/plot_xy.c engine/plot_dist.c \
              engine/plot_heatmap.c engine/lua_plot.c \
              engine/models/linear.c engine/models/enet.c engine/models/tree.c \
              engine/models/logistic.c engine/models/model.c engine/models/metrics.c \
              engine/models/validate.c engine/lua_model.c
MAIN_SRC   := engine/main.c
UNIT_SRC   := tests/unit/main.c tests/unit/replay.c tests/unit/test_rng.c tests/unit/test_fmt.c \
              tests/unit/test_value.c tests/unit/test_doc.c \
              tests/unit/test_build.c tests/unit/test_conformance.c tests/unit/test_frame.c \
              tests/unit/test_stats_ref.c tests/unit/test_cormat.c tests/unit/test_surv.c \
              tests/unit/test_svg.c tests/unit/test_tree.c tests/unit/test_logistic.c \
              tests/unit/test_models.c tests/unit/test_hclust.c tests/unit/test_plot_xy.c \
              tests/unit/test_plot_heatmap.c tests/unit/test_plot_dist.c \
              tests/fuzz/doc_target.c tests/fuzz/csv_target.c
RESOURCES  := $(sort $(wildcard lua/*.lua)) templates/report.html templates/report.css \
              templates/plot.css

OBJ      := $(ENGINE_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/resources.o
ASAN_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/asan/%.o) $(BUILD)/asan/resources.o
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

.PHONY: all deps test-deps demo test test-asan check-all check-asan unit golden bench \
        install clean lint format fuzz
all: $(BUILD)/rglit

deps:
	@./vendor/install-deps.sh

# Chromium and Python 3 for the browser test (tests/browser/); make test stops
# when they cannot be installed, as for the build's own packages.
test-deps: deps
	@./vendor/install-deps.sh vendor/test-packages.txt

# ---- build -----------------------------------------------------------------
$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@commit=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	 if [ "$$commit" != unknown ] && [ -n "$$(git status --porcelain -- engine lua templates Makefile 2>/dev/null)" ]; then commit="$$commit-dirty"; fi; \
	 printf '#define RGLIT_VERSION "%s"\n#define RGLIT_COMMIT "%s"\n#define RGLIT_PLATFORM "%s"\n' \
	   "$(VERSION)" "$$commit" "$$($(CC) -dumpmachine)" > $@.tmp; \
	 cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/embed: engine/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 $(WARN) -O1 $< -o $@

$(BUILD)/resources.c: $(BUILD)/embed $(RESOURCES)
	$(BUILD)/embed $@ $(foreach r,$(RESOURCES),$(r)=$(r))

$(BUILD)/obj/engine/report.o $(BUILD)/asan/engine/report.o: $(BUILD)/version.h
$(BUILD)/obj/engine/report.o $(BUILD)/asan/engine/report.o: ALL_CFLAGS += -include $(BUILD)/version.h

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/obj/resources.o: $(BUILD)/resources.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/rglit: $(OBJ) $(BUILD)/obj/engine/main.o
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

$(BUILD)/unit_tests: $(OBJ) $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

# ---- sanitizers ---------------------------------------------------------------
$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
$(BUILD)/asan/resources.o: $(BUILD)/resources.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
$(BUILD)/asan/rglit: $(ASAN_OBJ) $(BUILD)/asan/engine/main.o
	$(CC) $(ASAN_FLAGS) $^ $(PKG_LIBS) -o $@
$(BUILD)/asan/unit_tests: $(ASAN_OBJ) $(UNIT_SRC:%.c=$(BUILD)/asan/%.o)
	$(CC) $(ASAN_FLAGS) $^ $(PKG_LIBS) -o $@

# ---- the two commands -----------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/rglit
	$(BUILD)/rglit render studies/demo/study.md -o report.html
	@echo "demo: open report.html in a browser"

test: test-deps
	@$(MAKE) --no-print-directory check-all

check-all: $(BUILD)/rglit $(BUILD)/unit_tests
	@tests/run.sh $(BUILD)/rglit $(BUILD)/unit_tests

test-asan: test-deps
	@$(MAKE) --no-print-directory check-asan

check-asan: $(BUILD)/asan/rglit $(BUILD)/asan/unit_tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	 tests/run.sh $(BUILD)/asan/rglit $(BUILD)/asan/unit_tests

# Regenerate the golden reports and figures; review the diff before committing.
golden: $(BUILD)/rglit $(BUILD)/unit_tests
	tests/golden/update.sh $(BUILD)/rglit $(BUILD)/unit_tests

# The document parser under libFuzzer (clang; not needed by make test, whose
# unit tests replay tests/fuzz/regressions/). FUZZ_SECONDS=600 by default.
FUZZ_SECONDS ?= 600
fuzz:
	@command -v clang >/dev/null || { echo "fuzz: needs clang (apt-get install clang libclang-rt-14-dev)"; exit 1; }
	tests/fuzz/run.sh $(FUZZ_SECONDS)
	tests/fuzz/build_csv.sh
	@mkdir -p build/fuzz-csv-corpus build/fuzz-artifacts
	build/fuzz_csv -max_len=4096 -timeout=10 -rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=build/fuzz-artifacts/ build/fuzz-csv-corpus tests/fuzz/corpus_csv

# rglit's correlation screens against R and NumPy/SciPy (tests/bench/run.sh;
# skipped without ../shared/data/nsclc-radiogenomics).
$(BUILD)/bench_screen: $(OBJ) $(BUILD)/obj/tests/bench/bench_screen.o
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

$(BUILD)/bench_surv: $(OBJ) $(BUILD)/obj/tests/bench/bench_surv.o
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

$(BUILD)/bench_models: $(OBJ) $(BUILD)/obj/tests/bench/bench_models.o
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

bench:
	@MAKE="$(MAKE)" tests/bench/run.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -I engine $(ENGINE_SRC) $(MAIN_SRC) engine/embed.c

format:
	clang-format -i engine/*.c engine/*.h tests/unit/*.c tests/unit/*.h

install: $(BUILD)/rglit
	install -D -m 0755 $(BUILD)/rglit $(DESTDIR)$(PREFIX)/bin/rglit

clean:
	rm -rf $(BUILD) report.html

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
