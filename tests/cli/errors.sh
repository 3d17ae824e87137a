#!/usr/bin/env bash
# tests/cli/errors.sh — where errors are reported: "study.md:LINE: message"
# with the line of the Markdown file (front matter, options and prose
# counted), for chunks, inline expressions, functions called later, modules,
# odd error values, error: true, eval: false, CRLF and a byte-order mark.
. "$(dirname "$0")/lib.sh"

# fails NAME MESSAGE: the study on stdin fails to render with MESSAGE (exit
# 1) and leaves no report.
fails() {
    local d
    d=$(newdir)
    study "$d"
    expect "$1" 1 "$2" at "$d" "$RGLIT" render study.md
    absent "$1-no-report" "$d/study.html"
}

# ---- chunks: first, middle, last ------------------------------------------------------

# A three-chunk study; BAD1/BAD2/BAD3 are replaced to make one chunk fail.
three() {
    sed -e "s/BAD1/$1/" -e "s/BAD2/$2/" -e "s/BAD3/$3/" <<'EOF'
---
title: Three chunks
author: Tester
seed: 3
params:
  k: 2
  name: x
---

# Introduction

Some prose before the first chunk,
over two lines.

```lua
--| label: first
--| echo: true
local a = 1
BAD1
print(a)
```

Prose between `{lua} params.k` chunks.

```lua
--| label: middle

local b = 2
BAD2
```

## Last

```lua
--| label: last
--| output: true
--| error: false
local c = 3
local d = c + 1
BAD3
```
EOF
}

three 'local z = nil + 1' '' '' | fails errors:first-chunk \
    "study.md:19: attempt to perform arithmetic on a nil value"
three '' 'local t = nil; print(t.field)' '' | fails errors:middle-chunk \
    "study.md:29: attempt to index a nil value (local 't')"
three '' '' 'error("last one")' | fails errors:last-chunk \
    "study.md:40: last one"
three '' '' 'undefined_function(1)' | fails errors:last-chunk-call-nil \
    "study.md:40: attempt to call a nil value (global 'undefined_function')"

# ---- syntax errors ------------------------------------------------------------------------

three '' 'local y = = 2' '' | fails errors:syntax-error \
    "study.md:29: unexpected symbol near '='"
three 'if a then' '' '' | fails errors:syntax-error-eof \
    "study.md:21: 'end' expected (to close 'if' at line 19) near <eof>"

fails errors:syntax-error-string "study.md:6: unfinished string near '\"abc'" <<'EOF'
# Strings

```lua
--| label: s
local ok = 1
local s = "abc
```
EOF

# ---- inline expressions ---------------------------------------------------------------------

fails errors:inline "study.md:9: attempt to call a nil value (global 'nope')" <<'EOF'
---
title: Inline
---

# Section

A first paragraph with `{lua} 1 + 1` in it,
and a second line, then the failing one
which calls `{lua} nope()` here.
EOF

fails errors:inline-list-item "study.md:5: boom" <<'EOF'
# List

- one `{lua} 1`
- two
  continued `{lua} error("boom")`
EOF

fails errors:inline-nil "study.md:3: inline expression \`{lua} params_missing\` gave nil, not a string, number or boolean" <<'EOF'
# Nil

Value: `{lua} params_missing`.
EOF

fails errors:inline-table "study.md:4: inline expression \`{lua} {1, 2}\` gave table, not a string, number or boolean" <<'EOF'
# Table

Text.
Value: `{lua} {1, 2}`.
EOF

fails errors:inline-function "study.md:3: inline expression \`{lua} print\` gave function, not a string, number or boolean" <<'EOF'
# Function

Value: `{lua} print`.
EOF

fails errors:inline-syntax "study.md:3: unexpected symbol near <eof>" <<'EOF'
# Syntax

Value: `{lua} 1 +`.
EOF

# a backslash hard line break is still one line of the file
fails errors:inline-after-hard-break "study.md:4: after break" <<'EOF'
# Breaks

first line\
second line `{lua} error("after break")`
EOF

# ---- functions defined in one chunk, called in another --------------------------------------
#
# The message names the innermost study line: the line inside the function
# that raised (where the fault is), as Lua's own position would; the calling
# line is named when the function blames its caller (error level 2).

later() {
    sed -e "s/BODY/$1/" <<'EOF'
# Helpers

```lua
--| label: define
function check(v)
  if v > 1 then
    BODY
  end
  return v
end
print(check(1))
```

Later on:

```lua
--| label: use
local v = 5
print(check(v))
```
EOF
}

later 'error("too big: " .. v)' | fails errors:later-call-error "study.md:7: too big: 5"
later 'return v.field' | fails errors:later-call-runtime \
    "study.md:7: attempt to index a number value (local 'v')"
later 'error("blame the caller", 2)' | fails errors:later-call-level2 \
    "study.md:19: blame the caller"

# ---- modules -----------------------------------------------------------------------------------

d=$(newdir)
cat >"$d/helpers.lua" <<'EOF'
local M = {}

function M.boom()
  error("kaboom")
end

function M.index(t)
  return t.x.y
end

return M
EOF
printf 'local M = {}\nM.x = = 1\nreturn M\n' >"$d/broken.lua"
printf 'local M = {}\nerror("failed while loading")\nreturn M\n' >"$d/loadfail.lua"
modtest() { # NAME CODE MESSAGE: CODE is at study line 7
    printf -- '---\ntitle: M\n---\n\n```lua\nlocal h = require("helpers")\n%s\n```\n' "$2" >"$d/study.md"
    expect "$1" 1 "$3" at "$d" "$RGLIT" render study.md
    absent "$1-no-report" "$d/study.html"
}
modtest errors:module-error 'h.boom()' "study.md:7: helpers.lua:4: kaboom"
modtest errors:module-runtime 'h.index({})' \
    "study.md:7: helpers.lua:8: attempt to index a nil value (field 'x')"
modtest errors:module-syntax 'require("broken")' \
    "study.md:7: broken.lua:2: unexpected symbol near '='"
modtest errors:module-load-error 'require("loadfail")' \
    "study.md:7: loadfail.lua:2: failed while loading"
# after a failed load, requiring again fails the same way (not as a cycle)
modtest errors:module-retry-after-error 'pcall(require, "loadfail")
require("loadfail")' "study.md:8: loadfail.lua:2: failed while loading"
modtest errors:module-missing 'require("nothere")' \
    "study.md:7: require: module 'nothere' not found (looked for lua/nothere.lua in rglit's library and nothere.lua in the study's folder)"

# ---- error values ----------------------------------------------------------------------------------

fails errors:error-table "study.md:5: (error object is a table value)" <<'EOF'
# Values

```lua
local x = 1
error({code = 42})
```
EOF

fails errors:error-tostring "study.md:4: custom message" <<'EOF'
# Values

```lua
error(setmetatable({}, {__tostring = function() return "custom message" end}))
```
EOF

fails errors:error-level-0 "study.md:6: no position" <<'EOF'
# Values

```lua
local x = 1

error("no position", 0)
```
EOF

fails errors:error-nil "study.md:4: (error object is a nil value)" <<'EOF'
# Values

```lua
error()
```
EOF

fails errors:assert "study.md:5: assertion failed!" <<'EOF'
# Values

```lua
local n = 3
assert(n == 4)
```
EOF

# ---- error: true -----------------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
# Shown

```lua
--| label: bad
--| error: true
print("before the error")
error("shown <here>")
```

```lua
--| label: after
print("later chunk ran")
```
EOF
expect errors:error-true 0 "" at "$d" "$RGLIT" render study.md
has errors:error-true-block "$d/study.html" '<pre class="rg-error">study.md:7: shown &lt;here&gt;</pre>'
has errors:error-true-manifest "$d/study.html" '"error":	"study.md:7: shown \u003chere>"'
got=$(outputs "$d/study.html")
if [ "$got" = "before the error
later chunk ran" ]; then ok errors:error-true-later-chunks-run; else
    fail errors:error-true-later-chunks-run "outputs [$got]"
fi

# error: true for a syntax error too
d=$(newdir)
study "$d" <<'EOF'
# Shown

```lua
--| error: true
local = 1
```
EOF
expect errors:error-true-syntax 0 "" at "$d" "$RGLIT" render study.md
has errors:error-true-syntax-block "$d/study.html" "<pre class=\"rg-error\">study.md:5: &lt;name&gt; expected near &#39;=&#39;</pre>"

# ---- eval: false ------------------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
# Not run

```lua
--| label: skipped
--| eval: false
error("must not run")
```

```lua
print("ran")
```
EOF
expect errors:eval-false 0 "" at "$d" "$RGLIT" render study.md
has errors:eval-false-code-shown "$d/study.html" '<pre><code class="language-lua">error(&quot;must not run&quot;)</code></pre>'
has errors:eval-false-marked "$d/study.html" '<span class="rg-noeval">not run (eval: false)</span>'
has errors:eval-false-manifest "$d/study.html" '"ran":	false,'
if [ "$(outputs "$d/study.html")" = "ran" ]; then ok errors:eval-false-others-run; else
    fail errors:eval-false-others-run "outputs [$(outputs "$d/study.html")]"
fi

# ---- line endings and a byte-order mark -------------------------------------------------------------------

# the same study as errors:first-chunk (line 19), with CRLF line endings
d=$(newdir)
three 'local z = nil + 1' '' '' | sed 's/$/\r/' >"$d/study.md"
expect errors:crlf-chunk 1 "study.md:19: attempt to perform arithmetic on a nil value" \
    at "$d" "$RGLIT" render study.md
three '' '' 'error("last one")' | sed 's/$/\r/' >"$d/study.md"
expect errors:crlf-last-chunk 1 "study.md:40: last one" at "$d" "$RGLIT" render study.md
three '' 'local y = = 2' '' | sed 's/$/\r/' >"$d/study.md"
expect errors:crlf-syntax 1 "study.md:29: unexpected symbol near '='" at "$d" "$RGLIT" render study.md
printf -- '---\r\ntitle: x\r\n---\r\n\r\nLine.\r\nThen `{lua} error("crlf inline")`\r\n' >"$d/study.md"
expect errors:crlf-inline 1 "study.md:6: crlf inline" at "$d" "$RGLIT" render study.md
printf -- '---\r\ntitle: x\r\nbogus: 1\r\n---\r\n' >"$d/study.md"
expect errors:crlf-front-matter 1 "study.md:3: unknown front matter key 'bogus' (known keys: title, author, date, seed, params; study parameters go under 'params:')" \
    at "$d" "$RGLIT" render study.md

d=$(newdir)
{ printf '\357\273\277'; three 'local z = nil + 1' '' ''; } >"$d/study.md"
expect errors:bom-chunk 1 "study.md:19: attempt to perform arithmetic on a nil value" \
    at "$d" "$RGLIT" render study.md
{ printf '\357\273\277'; three '' '' 'error("last one")'; } >"$d/study.md"
expect errors:bom-last-chunk 1 "study.md:40: last one" at "$d" "$RGLIT" render study.md
printf '\357\273\277---\ntitle: x\nbogus: 1\n---\n' >"$d/study.md"
expect errors:bom-front-matter 1 "study.md:3: unknown front matter key 'bogus' (known keys: title, author, date, seed, params; study parameters go under 'params:')" \
    at "$d" "$RGLIT" render study.md
{ printf '\357\273\277'; three '' '' '' | sed 's/^Some prose before/`{lua} error("bom inline")`/'; } >"$d/study.md"
expect errors:bom-inline 1 "study.md:12: bom inline" at "$d" "$RGLIT" render study.md
{ printf '\357\273\277'; three 'local z = nil + 1' '' '' | sed 's/$/\r/'; } >"$d/study.md"
expect errors:bom-crlf-chunk 1 "study.md:19: attempt to perform arithmetic on a nil value" \
    at "$d" "$RGLIT" render study.md
