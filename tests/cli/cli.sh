#!/usr/bin/env bash
# tests/cli/cli.sh — the command line: commands, options and their
# validation, -P and --seed, the default output path, check, front-matter
# errors, SOURCE_DATE_EPOCH, and that a failed render never leaves a report.
. "$(dirname "$0")/lib.sh"

TRY="Try 'rglit --help'."

# A study with params of three types, an inline expression and a random draw.
param_study() {
    study "$1" <<'EOF'
---
title: CLI
seed: 7
params:
  n: 3
  name: abc
  xs: [1, 2]
---

N is `{lua} params.n`.

```lua
--| label: p
print("n=" .. params.n .. " " .. math.type(params.n))
print("name=" .. params.name)
print("xs=" .. table.concat(params.xs, ","))
print("r=" .. math.random(1, 1000000))
```
EOF
}

# the random draw printed in report $1
draw() { grep -o 'r=[0-9]*' "$1" 2>/dev/null; }

# ---- commands and usage errors -----------------------------------------------

expect cli:no-arguments 2 "rglit: no command given
$TRY" "$RGLIT"

expect cli:unknown-command 2 "rglit: unknown command 'bogus' (render, check, --version, --help)
$TRY" "$RGLIT" bogus

d=$(newdir)
param_study "$d"
expect cli:unknown-option 2 "rglit: unknown option '--bogus'
$TRY" at "$d" "$RGLIT" render study.md --bogus
absent cli:unknown-option-no-report "$d/study.html"

expect cli:unknown-option-long-value 2 "rglit: unknown option '--bogus=1'
$TRY" at "$d" "$RGLIT" render study.md --bogus=1

expect cli:option-missing-value 2 "rglit: --seed needs a value
$TRY" at "$d" "$RGLIT" render study.md --seed

expect cli:o-missing-value 2 "rglit: -o needs a value
$TRY" at "$d" "$RGLIT" render study.md -o

expect cli:o-empty 2 "rglit: -o needs a file name
$TRY" at "$d" "$RGLIT" render study.md -o ''

expect cli:quiet-takes-no-value 2 "rglit: --quiet takes no value
$TRY" at "$d" "$RGLIT" render study.md --quiet=yes

expect cli:no-study 2 "rglit: render needs a study file
$TRY" "$RGLIT" render

expect cli:two-studies 2 "rglit: one study at a time (got 'other.md' too)
$TRY" at "$d" "$RGLIT" render study.md other.md

d=$(newdir)
# the tail is strerror(ENOENT), which is the C library's wording
expect_match cli:missing-study 2 "^rglit: cannot read study 'nope\.md': .+$" at "$d" "$RGLIT" render nope.md
absent cli:missing-study-no-report "$d/nope.html"

# a folder is not a study; the reason is strerror(EISDIR) ("Is a directory"
# on glibc), not a generic I/O error
d=$(newdir)
mkdir "$d/folder"
expect_match cli:study-is-folder 2 "^rglit: cannot read study 'folder': Is a directory$" \
    at "$d" "$RGLIT" render folder

# ---- --help and --version --------------------------------------------------------

run "$RGLIT" --help
if [ "$rc" != 0 ] || [ -n "$err" ]; then
    fail cli:help "exit $rc, stderr [$err]"
else
    missing=""
    for w in "rglit render STUDY.md" "rglit check STUDY.md" "--version" "--help" \
        "-o, --output OUT.html" "-P key=value" "--seed N" "--timeout S" \
        "--max-memory MB" "--allow-read DIR" "--quiet" "exit codes:"; do
        printf '%s\n' "$out" | grep -Fq -- "$w" || missing="$missing [$w]"
    done
    if [ -n "$missing" ]; then fail cli:help "help lacks$missing"; else ok cli:help; fi
fi

run "$RGLIT" --version
first=$(printf '%s\n' "$out" | head -n 1)
if [ "$rc" != 0 ] || [ -n "$err" ]; then
    fail cli:version "exit $rc, stderr [$err]"
elif [ "${first#rglit }" = "$first" ]; then
    fail cli:version "first line [$first] does not start with 'rglit '"
else
    ok cli:version
fi

# ---- option validation -------------------------------------------------------------

d=$(newdir)
param_study "$d"
expect cli:seed-negative 2 "rglit: --seed must be an integer from 0 to 2^63-1, got '-1'
$TRY" at "$d" "$RGLIT" render study.md --seed -1
expect cli:seed-not-number 2 "rglit: --seed must be an integer from 0 to 2^63-1, got 'abc'
$TRY" at "$d" "$RGLIT" render study.md --seed abc
expect cli:seed-too-big 2 "rglit: --seed must be an integer from 0 to 2^63-1, got '9223372036854775808'
$TRY" at "$d" "$RGLIT" render study.md --seed 9223372036854775808
expect cli:seed-fraction 2 "rglit: --seed must be an integer from 0 to 2^63-1, got '1.5'
$TRY" at "$d" "$RGLIT" render study.md --seed=1.5
expect cli:timeout-zero 2 "rglit: --timeout must be a number of seconds > 0, got '0'
$TRY" at "$d" "$RGLIT" render study.md --timeout 0
expect cli:timeout-not-number 2 "rglit: --timeout must be a number of seconds > 0, got '1s'
$TRY" at "$d" "$RGLIT" render study.md --timeout 1s
expect cli:timeout-negative 2 "rglit: --timeout must be a number of seconds > 0, got '-3'
$TRY" at "$d" "$RGLIT" render study.md --timeout=-3
expect cli:max-memory-zero 2 "rglit: --max-memory must be a whole number of MB > 0, got '0'
$TRY" at "$d" "$RGLIT" render study.md --max-memory 0
expect cli:max-memory-fraction 2 "rglit: --max-memory must be a whole number of MB > 0, got '1.5'
$TRY" at "$d" "$RGLIT" render study.md --max-memory 1.5
expect cli:max-memory-word 2 "rglit: --max-memory must be a whole number of MB > 0, got 'lots'
$TRY" at "$d" "$RGLIT" render study.md --max-memory lots
expect cli:allow-read-not-folder 2 "rglit: --allow-read: 'no-such-dir' is not a folder" \
    at "$d" "$RGLIT" render study.md --allow-read no-such-dir
absent cli:bad-options-no-report "$d/study.html"

# ---- output path -------------------------------------------------------------------------

d=$(newdir)
param_study "$d"
expect cli:o-default 0 "" at "$d" "$RGLIT" render study.md
has cli:o-default-written "$d/study.html" "<title>"

# from another folder: the report goes next to the study, not into the cwd
d=$(newdir)
mkdir -p "$d/sub"
param_study "$d/sub"
expect cli:o-default-next-to-study 0 "" at "$d" "$RGLIT" render sub/study.md
has cli:o-default-next-to-study-written "$d/sub/study.html" "n=3 integer"
absent cli:o-default-not-in-cwd "$d/study.html"

d=$(newdir)
param_study "$d"
expect cli:o-given 0 "" at "$d" "$RGLIT" render study.md -o out.html
has cli:o-given-written "$d/out.html" "n=3 integer"
absent cli:o-given-no-default "$d/study.html"

d=$(newdir)
param_study "$d"
expect cli:long-output 0 "" at "$d" "$RGLIT" render study.md --output report.html
has cli:long-output-written "$d/report.html" "n=3 integer"

# --opt=value
d=$(newdir)
param_study "$d"
expect cli:opt-equals 0 "" at "$d" "$RGLIT" render study.md --output=eq.html --seed=9 \
    --timeout=10 --max-memory=256
has cli:opt-equals-output "$d/eq.html" "<tr><th>Seed</th><td>9 (set with --seed)</td></tr>"

d=$(newdir)
param_study "$d"
expect cli:quiet 0 "" at "$d" "$RGLIT" render study.md --quiet
has cli:quiet-written "$d/study.html" "n=3 integer"

# ---- -P ------------------------------------------------------------------------------------------

d=$(newdir)
param_study "$d"
expect cli:P-number 0 "" at "$d" "$RGLIT" render study.md -P n=5
has cli:P-number-inline "$d/study.html" '<p>N is <span class="rg-inline">5</span>.</p>'
has cli:P-number-print "$d/study.html" "n=5 integer"

d=$(newdir)
param_study "$d"
expect cli:P-float-for-integer 0 "" at "$d" "$RGLIT" render study.md -P n=0.5
has cli:P-float-for-integer-print "$d/study.html" "n=0.5 float"

d=$(newdir)
param_study "$d"
expect cli:P-string 0 "" at "$d" "$RGLIT" render study.md -P 'name=hello world'
has cli:P-string-print "$d/study.html" "name=hello world"

d=$(newdir)
param_study "$d"
expect cli:P-list 0 "" at "$d" "$RGLIT" render study.md -P 'xs=[4, 5, 6]'
has cli:P-list-print "$d/study.html" "xs=4,5,6"

d=$(newdir)
param_study "$d"
expect cli:P-repeated-last-wins 0 "" at "$d" "$RGLIT" render study.md -P n=4 -P n=6
has cli:P-repeated-last-wins-print "$d/study.html" "n=6 integer"
has cli:P-repeated-command-once "$d/study.html" '"command":	"rglit render study.md -P n=6",'

d=$(newdir)
param_study "$d"
expect cli:P-unknown-key 2 "rglit: -P: unknown param 'm'; the study's params are: n, name, xs" \
    at "$d" "$RGLIT" render study.md -P m=1
expect cli:P-type-mismatch 2 "rglit: -P: xs: the front matter gives a list, but 'abc' is a string" \
    at "$d" "$RGLIT" render study.md -P xs=abc
# English: "an integer", not "a integer"
expect cli:P-type-mismatch-article 2 "rglit: -P: n: the front matter gives an integer, but 'abc' is a string" \
    at "$d" "$RGLIT" render study.md -P n=abc
expect cli:P-without-equals 2 "rglit: -P: expected key=value, got 'n'" \
    at "$d" "$RGLIT" render study.md -P n
expect cli:P-empty-key 2 "rglit: -P: expected key=value, got '=5'" \
    at "$d" "$RGLIT" render study.md -P =5
absent cli:P-errors-no-report "$d/study.html"

d=$(newdir)
study "$d" <<'EOF'
# No params

Text.
EOF
expect cli:P-no-params 2 "rglit: -P: unknown param 'n'; the study declares no params" \
    at "$d" "$RGLIT" render study.md -P n=1

# ---- --seed ------------------------------------------------------------------------------------------

d=$(newdir)
param_study "$d"
at "$d" "$RGLIT" render study.md -o s7.html
at "$d" "$RGLIT" render study.md --seed 8 -o s8a.html
at "$d" "$RGLIT" render study.md --seed 8 -o s8b.html
a=$(draw "$d/s7.html") b=$(draw "$d/s8a.html") c=$(draw "$d/s8b.html")
if [ -z "$a" ] || [ -z "$b" ]; then
    fail cli:seed-changes-random "no draw found ([$a] [$b])"
elif [ "$a" = "$b" ]; then
    fail cli:seed-changes-random "--seed 8 gave the same draw as the front matter's seed 7 ($a)"
else
    ok cli:seed-changes-random
fi
if [ -n "$b" ] && [ "$b" = "$c" ]; then ok cli:seed-reproduces; else
    fail cli:seed-reproduces "two renders with --seed 8 drew [$b] and [$c]"
fi
same cli:seed-reproduces-bytes "$d/s8a.html" "$d/s8b.html"
# --seed equal to the front matter's seed draws what the front matter's does
at "$d" "$RGLIT" render study.md --seed 7 -o s7b.html
if [ -n "$a" ] && [ "$(draw "$d/s7b.html")" = "$a" ]; then ok cli:seed-same-as-front-matter; else
    fail cli:seed-same-as-front-matter "--seed 7 drew [$(draw "$d/s7b.html")], front matter seed 7 drew [$a]"
fi

# ---- provenance: overridden params and the command -------------------------------------------------

d=$(newdir)
param_study "$d"
expect cli:provenance-render 0 "" at "$d" "$RGLIT" render study.md --seed 9 -P n=5 -P 'xs=[4, 5, 6]'
f=$d/study.html
has cli:provenance-marks-n "$f" '<tr class="rg-overridden"><td>n</td><td>5</td><td>-P (command line)</td></tr>'
has cli:provenance-marks-xs "$f" '<tr class="rg-overridden"><td>xs</td><td>[4, 5, 6]</td><td>-P (command line)</td></tr>'
has cli:provenance-front-matter "$f" '<tr><td>name</td><td>abc</td><td>front matter</td></tr>'
has cli:provenance-seed "$f" '<tr><th>Seed</th><td>9 (set with --seed)</td></tr>'
has cli:provenance-command "$f" "<tr><th>Command</th><td>rglit render study.md --seed 9 -P n=5 -P &#39;xs=[4, 5, 6]&#39;</td></tr>"
has cli:provenance-manifest-command "$f" "\"command\":	\"rglit render study.md --seed 9 -P n=5 -P 'xs=[4, 5, 6]'\","
has cli:provenance-manifest-overridden "$f" '"overridden":	["n", "xs"],'
has cli:provenance-manifest-seed "$f" '"seed_overridden":	true,'

d=$(newdir)
param_study "$d"
at "$d" "$RGLIT" render study.md
has cli:provenance-plain-command "$d/study.html" '<tr><th>Command</th><td>rglit render study.md</td></tr>'
lacks cli:provenance-plain-no-override "$d/study.html" "-P (command line)"
has cli:provenance-plain-seed "$d/study.html" '<tr><th>Seed</th><td>7</td></tr>'

# ---- check -----------------------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
---
params:
  a: 1
  b: two
---

Inline `{lua} params.a` and `{lua} params.b`.

```lua
error("check must not run this")
```

```lua
print(2)
```
EOF
expect cli:check-ok 0 "" at "$d" "$RGLIT" check study.md
if [ "$out" = "study.md: ok (2 chunks, 2 inline expressions, 2 params)" ]; then ok cli:check-ok-message; else
    fail cli:check-ok-message "stdout [$out]"
fi
absent cli:check-writes-nothing "$d/study.html"
expect cli:check-with-P-and-seed 0 "" at "$d" "$RGLIT" check study.md -P a=2 --seed 3
expect cli:check-P-validated 2 "rglit: -P: b: the front matter gives a string, but '[1]' is a list (quote it to pass a string: -P 'b=\"[1]\"')" \
    at "$d" "$RGLIT" check study.md -P 'b=[1]'
expect cli:check-with-o 2 "rglit: check takes only -P and --seed
$TRY" at "$d" "$RGLIT" check study.md -o x.html
expect cli:check-with-timeout 2 "rglit: check takes only -P and --seed
$TRY" at "$d" "$RGLIT" check study.md --timeout 5
absent cli:check-with-o-nothing "$d/x.html"

d=$(newdir)
study "$d" <<'EOF'
---
title: Syntax
---

Some text.

```lua
local x = 1
x = = 2
```
EOF
expect cli:check-syntax-error 1 "study.md:9: unexpected symbol near '='" at "$d" "$RGLIT" check study.md
if [ -z "$out" ]; then ok cli:check-syntax-error-no-stdout; else
    fail cli:check-syntax-error-no-stdout "stdout [$out]"
fi

d=$(newdir)
study "$d" <<'EOF'
# Inline syntax

Fine.
Broken `{lua} 1 +` here.
EOF
expect cli:check-inline-syntax-error 1 "study.md:4: unexpected symbol near <eof>" \
    at "$d" "$RGLIT" check study.md

# ---- front-matter and document errors ---------------------------------------------------------------------------

fm() { # NAME WANT_ERR: the study comes from stdin
    local d
    d=$(newdir)
    study "$d"
    expect "$1" 1 "$2" at "$d" "$RGLIT" render study.md
    absent "$1-no-report" "$d/study.html"
}

fm cli:fm-unknown-key "study.md:3: unknown front matter key 'bogus' (known keys: title, author, date, seed, params; study parameters go under 'params:')" <<'EOF'
---
title: x
bogus: 1
---
EOF

fm cli:fm-params-not-map "study.md:3: 'params' must be a map of name: value" <<'EOF'
---
title: x
params: [1, 2]
---
EOF

fm cli:fm-seed-negative "study.md:4: 'seed' must be a non-negative integer" <<'EOF'
---
title: x
author: me
seed: -3
---
EOF

fm cli:fm-never-closed "study.md:1: front matter opened here is never closed (expected a line '---')" <<'EOF'
---
title: x
EOF

fm cli:chunk-unknown-option "study.md:8: unknown chunk option 'bogus' (options: label, echo, eval, output, error, fig-cap, fig-alt, tbl-cap, fig-width, fig-height, seed, cache)" <<'EOF'
---
title: x
---

```lua
--| label: a
--| echo: false
--| bogus: 1
print(1)
```
EOF

fm cli:chunk-duplicate-label "study.md:10: duplicate chunk label 'a' (also used by the chunk at line 3)" <<'EOF'
# x

```lua
--| label: a
print(1)
```

```lua
--| echo: true
--| label: a
print(2)
```
EOF

d=$(newdir)
study "$d" <<'EOF'
---
title: x
seed: [
---
EOF
# the text after "valid YAML: " is libyaml's own wording
expect_match cli:fm-invalid-yaml 1 "^study\.md:4: front matter is not valid YAML: .+$" at "$d" "$RGLIT" render study.md

d=$(newdir)
study "$d" <<'EOF'
---
bogus: 1
---
EOF
expect cli:fm-error-in-check 1 "study.md:2: unknown front matter key 'bogus' (known keys: title, author, date, seed, params; study parameters go under 'params:')" \
    at "$d" "$RGLIT" check study.md

# A study given with a folder: every message names the file the same way
# (here, as given on the command line), whether doc parsing or Lua found it.
d=$(newdir)
mkdir "$d/sub"
printf -- '---\nbogus: 1\n---\n' >"$d/sub/study.md"
expect cli:path-in-fm-error 1 "sub/study.md:2: unknown front matter key 'bogus' (known keys: title, author, date, seed, params; study parameters go under 'params:')" \
    at "$d" "$RGLIT" render sub/study.md
printf -- '# x\n\n```lua\nerror("boom")\n```\n' >"$d/sub/study.md"
expect cli:path-in-lua-error 1 "sub/study.md:4: boom" at "$d" "$RGLIT" render sub/study.md

# ---- SOURCE_DATE_EPOCH ---------------------------------------------------------------------------------------------------

d=$(newdir)
param_study "$d"
expect cli:sde-rendered 0 "" at "$d" env SOURCE_DATE_EPOCH=86400 "$RGLIT" render study.md
has cli:sde-rendered-row "$d/study.html" "<tr><th>Rendered</th><td>1970-01-02 00:00:00 UTC</td></tr>"
has cli:sde-rendered-manifest "$d/study.html" '"rendered":	"1970-01-02 00:00:00 UTC",'
at "$d" env -u SOURCE_DATE_EPOCH "$RGLIT" render study.md -o plain.html
lacks cli:sde-unset-no-row "$d/plain.html" "<th>Rendered</th>"
rm -f "$d/study.html"
expect cli:sde-invalid 2 "rglit: SOURCE_DATE_EPOCH must be a number of seconds since 1970, got 'yesterday'" \
    at "$d" env SOURCE_DATE_EPOCH=yesterday "$RGLIT" render study.md
absent cli:sde-invalid-no-report "$d/study.html"
expect cli:sde-negative 2 "rglit: SOURCE_DATE_EPOCH must be a number of seconds since 1970, got '-5'" \
    at "$d" env SOURCE_DATE_EPOCH=-5 "$RGLIT" render study.md

# ---- a failed render leaves no report ----------------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
# Fails late

```lua
print("first chunk ran")
```

```lua
error("late failure")
```
EOF
expect cli:fail-no-report 1 "study.md:8: late failure" at "$d" "$RGLIT" render study.md
absent cli:fail-no-report-default "$d/study.html"
leftovers cli:fail-no-temp "$d"
expect cli:fail-no-report-o 1 "study.md:8: late failure" at "$d" "$RGLIT" render study.md -o out.html
absent cli:fail-no-report-o-file "$d/out.html"
leftovers cli:fail-no-temp-o "$d"

# an earlier report is not replaced or truncated by a failed render
d=$(newdir)
echo "old report" >"$d/study.html"
study "$d" <<'EOF'
# x

```lua
error("fails")
```
EOF
expect cli:fail-keeps-old-report 1 "study.md:4: fails" at "$d" "$RGLIT" render study.md
if [ "$(cat "$d/study.html" 2>/dev/null)" = "old report" ]; then ok cli:fail-old-report-intact; else
    fail cli:fail-old-report-intact "the old report changed"
fi
leftovers cli:fail-keeps-old-no-temp "$d"

# the report cannot be written (the output is a folder): exit 2, no temp file
d=$(newdir)
param_study "$d"
mkdir "$d/out.html"
# the tail is strerror(EISDIR), the C library's wording
expect_match cli:write-fails 2 "^rglit: cannot write 'out\.html': .+$" at "$d" "$RGLIT" render study.md -o out.html
leftovers cli:write-fails-no-temp "$d"

# a data error (exit 3) also leaves nothing
d=$(newdir)
study "$d" <<'EOF'
# x

```lua
rg.read_text("missing.txt")
```
EOF
run at "$d" "$RGLIT" render study.md
if [ "$rc" = 3 ]; then ok cli:data-error-exit; else fail cli:data-error-exit "exit $rc; stderr $err"; fi
absent cli:data-error-no-report "$d/study.html"
leftovers cli:data-error-no-temp "$d"

# ---- found by the acceptance run ------------------------------------------------------
# -o must not replace the study (refused before anything runs) or a file it read
d=$(newdir)
printf '# S\n\n```lua\nprint(rg.read_text("data.txt"))\nlocal h = require "helpers"\n```\n' >"$d/study.md"
printf 'numbers\n' >"$d/data.txt"
printf 'return {}\n' >"$d/helpers.lua"
expect cli:o-over-study 2 "rglit: -o study.md would overwrite the study; choose another file" \
    at "$d" "$RGLIT" render study.md -o study.md
expect cli:o-over-input 2 "rglit: -o data.txt would overwrite an input file of the study; choose another file" \
    at "$d" "$RGLIT" render study.md -o data.txt
expect cli:o-over-module 2 "rglit: -o helpers.lua would overwrite a module of the study; choose another file" \
    at "$d" "$RGLIT" render study.md -o helpers.lua
has cli:o-over-study-kept "$d/study.md" 'rg.read_text("data.txt")'
has cli:o-over-input-kept "$d/data.txt" "numbers"

# check compiles what render would run: an eval: false chunk is not Lua's business
d=$(newdir)
printf '```lua\n--| eval: false\nthis is not lua (\n```\n' >"$d/study.md"
run at "$d" "$RGLIT" check study.md
if [ "$rc" = 0 ]; then ok cli:check-skips-eval-false; else fail cli:check-skips-eval-false "exit $rc: $err"; fi

# SOURCE_DATE_EPOCH changes the report, so the reproduce command carries it
d=$(newdir)
printf '# S\n' >"$d/study.md"
SOURCE_DATE_EPOCH=1700000000 "$RGLIT" render "$d/study.md" -o "$d/a.html" 2>/dev/null
has cli:sde-in-command "$d/a.html" "<tr><th>Command</th><td>SOURCE_DATE_EPOCH=1700000000 rglit render study.md</td></tr>"
