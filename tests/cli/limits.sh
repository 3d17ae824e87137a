#!/usr/bin/env bash
# tests/cli/limits.sh — --timeout and --max-memory: a study that passes them
# fails cleanly (exit 1, the study line, no report), also when it catches the
# error with pcall or asks for error: true. Small limits keep this fast.
. "$(dirname "$0")/lib.sh"

# body DIR CODE: a study whose chunk starts at line 5; CODE's first line is
# study line 7 (line 6 is "local a = 1").
body() {
    printf -- '# Limits\n\nText.\n\n```lua\nlocal a = 1\n%s\n```\n' "$2" >"$1/study.md"
}

# ---- --timeout -----------------------------------------------------------------

d=$(newdir)
body "$d" 'while true do end'
expect limits:timeout 1 "study.md:7: time limit of 1 s exceeded (--timeout)" \
    at "$d" "$RGLIT" render study.md --timeout 1
absent limits:timeout-no-report "$d/study.html"
leftovers limits:timeout-no-temp "$d"

d=$(newdir)
body "$d" 'while true do pcall(function() while true do end end) end'
expect limits:timeout-pcall-loop 1 "study.md:7: time limit of 0.3 s exceeded (--timeout)" \
    at "$d" "$RGLIT" render study.md --timeout 0.3
absent limits:timeout-pcall-loop-no-report "$d/study.html"

# the loop's own line, several lines into the chunk
d=$(newdir)
cat >"$d/study.md" <<'EOF'
---
title: Loop
---

```lua
local n = 0
local function spin()
  while true do
    n = n + 1
  end
end
spin()
```
EOF
expect limits:timeout-line 1 "study.md:9: time limit of 0.3 s exceeded (--timeout)" \
    at "$d" "$RGLIT" render study.md --timeout 0.3

d=$(newdir)
cat >"$d/study.md" <<'EOF'
# Shown errors

```lua
--| error: true
local t = 0
while true do t = t + 1 end
```

```lua
print("must not run")
```
EOF
expect limits:timeout-error-true 1 "study.md:6: time limit of 0.3 s exceeded (--timeout)" \
    at "$d" "$RGLIT" render study.md --timeout 0.3
absent limits:timeout-error-true-no-report "$d/study.html"

d=$(newdir)
cat >"$d/study.md" <<'EOF'
# Inline

Value `{lua} (function() while true do end end)()` here.
EOF
expect limits:timeout-inline 1 "study.md:3: time limit of 0.3 s exceeded (--timeout)" \
    at "$d" "$RGLIT" render study.md --timeout 0.3
absent limits:timeout-inline-no-report "$d/study.html"

# Work inside one C call (a backtracking string pattern) runs no Lua
# instructions; --timeout must still stop it: the watchdog gives Lua 2 s of
# grace to regain control, then exits naming the chunk (its fence, line 5:
# the running line cannot be read from inside the C call). The outer
# `timeout 10` only keeps this suite from hanging: exit 124 means rglit did
# not stop by itself.
d=$(newdir)
body "$d" 'local n = 30
print((("a"):rep(n)):find(("a?"):rep(n) .. ("a"):rep(n) .. "b"))'
expect limits:timeout-in-c-call 1 \
    "study.md:5: time limit of 0.3 s exceeded (--timeout) in a call that could not be interrupted" \
    at "$d" timeout 10 "$RGLIT" render study.md --timeout 0.3
absent limits:timeout-in-c-call-no-report "$d/study.html"
leftovers limits:timeout-in-c-call-no-temp "$d"

# ---- --max-memory -----------------------------------------------------------------------

d=$(newdir)
body "$d" 'local t = {} while true do t[#t+1] = ("x"):rep(1000) .. #t end'
expect limits:memory 1 "study.md:7: memory limit of 64 MB exceeded (--max-memory)" \
    at "$d" "$RGLIT" render study.md --max-memory 64
absent limits:memory-no-report "$d/study.html"
leftovers limits:memory-no-temp "$d"

# The line is pinned by limits:memory; the tests below are about whether the
# render fails at all, so they accept any study line.
d=$(newdir)
body "$d" 'print(pcall(function() local t = {} while true do t[#t+1] = ("x"):rep(1000) .. #t end end))
print("after the pcall")'
expect_match limits:memory-pcall 1 '^study\.md:[0-9]+: memory limit of 16 MB exceeded \(--max-memory\)$' \
    at "$d" "$RGLIT" render study.md --max-memory 16
absent limits:memory-pcall-no-report "$d/study.html"

d=$(newdir)
cat >"$d/study.md" <<'EOF'
# Shown errors

```lua
--| error: true
local t = {}
while true do t[#t + 1] = ("y"):rep(1000) .. #t end
```
EOF
expect_match limits:memory-error-true 1 '^study\.md:[0-9]+: memory limit of 16 MB exceeded \(--max-memory\)$' \
    at "$d" "$RGLIT" render study.md --max-memory 16
absent limits:memory-error-true-no-report "$d/study.html"

# one allocation larger than the limit
d=$(newdir)
body "$d" 'local s = ("x"):rep(100 * 1024 * 1024)'
expect_match limits:memory-one-block 1 '^study\.md:[0-9]+: memory limit of 16 MB exceeded \(--max-memory\)$' \
    at "$d" "$RGLIT" render study.md --max-memory 16

# a correlation screen is charged before it runs: 2000 x 2000 pairs need 96 MB
d=$(newdir)
body "$d" 'local ids, A = {}, {}
for i = 1, 5 do ids[i] = "s" .. i end
A.ids = ids
for j = 1, 2000 do A["f" .. j] = {1, 2, 3, 4, j} end
local f = rg.frame(A)
local cm = rg.cor_matrix(f, f)'
# line 12 is the rg.cor_matrix call: the screen, not the frame, passes the limit
expect limits:memory-screen 1 "study.md:12: memory limit of 16 MB exceeded (--max-memory)" \
    at "$d" "$RGLIT" render study.md --max-memory 16

# figures count against the limit while they live: 2000 kept figures of a
# 3000-time curve hold over 100 MB of SVG in C memory (the Lua side of each
# is a small userdata)
d=$(newdir)
body "$d" 'local time, status = {}, {}
for i = 1, 3000 do time[i] = i; status[i] = i % 3 == 0 and 0 or 1 end
local km = rg.km(time, status)
local keep = {}
for i = 1, 2000 do keep[i] = plot.km{km = km, risk_table = false} end'
expect limits:memory-figures 1 "study.md:11: memory limit of 16 MB exceeded (--max-memory)" \
    at "$d" "$RGLIT" render study.md --max-memory 16
# (a figure a chunk draws lives until the chunk ends, when it is placed
# after the chunk unless it was shown: dropping it does not free it sooner)

# tables built with rg.table and then collected give their memory back:
# 3000 tables of 100 rows (about 60 MB of HTML in all) under 16 MB
d=$(newdir)
body "$d" 'local rows = {}
for i = 1, 100 do rows[i] = {a = i, b = i / 7, c = "row " .. i} end
for i = 1, 3000 do local t = rg.table(rows) end'
expect limits:memory-tables-collected 0 "" at "$d" "$RGLIT" render study.md --max-memory 16

# printed output counts against the limit
d=$(newdir)
body "$d" 'while true do print(("z"):rep(10000)) end'
expect_match limits:memory-print-loop 1 '^study\.md:[0-9]+: memory limit of 16 MB exceeded \(--max-memory\)$' \
    at "$d" "$RGLIT" render study.md --max-memory 16
absent limits:memory-print-loop-no-report "$d/study.html"

# ---- within the limits -------------------------------------------------------------------

d=$(newdir)
body "$d" 'local t = {}
for i = 1, 10000 do t[i] = ("x"):rep(10) end
print("done", #t)'
expect limits:within 0 "" at "$d" "$RGLIT" render study.md --timeout 10 --max-memory 64
has limits:within-output "$d/study.html" '<pre class="rg-output">done	10000'

# One allocation far beyond the limit fails at once (a Lua memory error, which
# no message handler sees); the message still names the line that allocated.
d=$(newdir)
body "$d" 'local acc = 0
for i = 1, 1000 do acc = acc + i end
local s = string.rep("x", 200 * 1024 * 1024)'
expect limits:memory-one-allocation-line 1 "study.md:9: memory limit of 64 MB exceeded (--max-memory)" \
    at "$d" "$RGLIT" render study.md --max-memory 64
