#!/usr/bin/env bash
# tests/cli/lua_api.sh — the Lua API as a study sees it: print and show,
# rg.table, rg.record and the manifest, rg.fmt / rg.fmt_p, warn and rg.note,
# pairs order, random numbers (math.random, rg.rng, streams), chunk options
# (output, echo) and byte-identical reports.
. "$(dirname "$0")/lib.sh"

# chunk DIR CODE: a study whose one chunk (label "c", code hidden) is CODE;
# CODE's first line is study line 6.
chunk() {
    printf -- '# API\n\n```lua\n--| label: c\n--| echo: false\n%s\n```\n' "$2" >"$1/study.md"
}

# shown FILE LABEL: the HTML that chunk LABEL put into the report
shown() {
    awk -v id="<div class=\"rg-chunk\" id=\"$2\">" '$0 == id { on = 1; next }
        on && $0 == "</div>" { exit } on' "$1" 2>/dev/null
}

# printed FILE LABEL: the printed text of chunk LABEL
printed() {
    shown "$1" "$2" | sed -n '/<pre class="rg-output">/,/<\/pre>/p' |
        sed 's/^<pre class="rg-output">//; /^<\/pre>$/d'
}

# is NAME GOT WANT: two texts are equal
is() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got [$2], want [$3]"; fi
}

# renders NAME CODE WANT_HTML: a study with the one chunk CODE renders and
# the chunk's HTML is exactly WANT_HTML.
renders() {
    local d
    d=$(newdir)
    chunk "$d" "$2"
    expect "$1" 0 "" at "$d" "$RGLIT" render study.md
    is "$1-html" "$(shown "$d/study.html" c)" "$3"
}

# prints NAME CODE WANT: as renders, for the printed text
prints() {
    local d
    d=$(newdir)
    chunk "$d" "$2"
    expect "$1" 0 "" at "$d" "$RGLIT" render study.md
    is "$1-output" "$(outputs "$d/study.html")" "$3"
}

# refused NAME CODE MESSAGE: the chunk fails at study line 6 with MESSAGE
refused() {
    local d
    d=$(newdir)
    chunk "$d" "$2"
    expect "$1" 1 "study.md:6: $3" at "$d" "$RGLIT" render study.md
    absent "$1-no-report" "$d/study.html"
}

# ---- print ---------------------------------------------------------------------------------

prints lua_api:print-args 'print(1, "a", true, nil, 1.5, 2^53)' \
    "1	a	true	nil	1.5	9.007199254741e+15"
prints lua_api:print-no-addresses \
    'print({}, print, coroutine.create(print), tostring({}), setmetatable({}, {__name = "My.Type"}), setmetatable({}, {__tostring = function() return "custom" end}))' \
    "table	function	thread	table	My.Type	custom"
prints lua_api:print-escaped 'print("<b>&amp;")' "&lt;b&gt;&amp;amp;"
prints lua_api:print-lines 'print("one") print() print("three")' "one

three"

# ---- show ----------------------------------------------------------------------------------

renders lua_api:show-string 'show("a <b> string")' '<div class="rg-text">a &lt;b&gt; string</div>'
renders lua_api:show-number 'show(42, 1.23456789, -0.5)' '<div class="rg-value">42</div>
<div class="rg-value">1.234568</div>
<div class="rg-value">-0.5</div>'
renders lua_api:show-boolean 'show(true, false)' '<div class="rg-value">true</div>
<div class="rg-value">false</div>'
renders lua_api:show-numbers 'show({1, 2.5, 3})' '<div class="rg-value">[1, 2.5, 3]</div>'
renders lua_api:show-records 'show({{z = 1, m = 2}, {a = "x", m = 4}})' '<div class="rg-table"><table>
<thead><tr><th class="num">m</th><th class="num">z</th><th>a</th></tr></thead>
<tbody>
<tr><td class="num">2</td><td class="num">1</td><td></td></tr>
<tr><td class="num">4</td><td class="num"></td><td>x</td></tr>
</tbody></table></div>'
renders lua_api:show-map 'show({zeta = 1, alpha = "s", mid = {1, 2}})' '<div class="rg-table"><table>
<thead><tr><th>name</th><th>value</th></tr></thead>
<tbody>
<tr><td>alpha</td><td>s</td></tr>
<tr><td>mid</td><td>table (2 values)</td></tr>
<tr><td>zeta</td><td>1</td></tr>
</tbody></table></div>'
refused lua_api:show-nothing 'show()' "show: nothing to show"

# a record whose cell holds a table or a function: no memory address (it
# would change from run to run)
d=$(newdir)
chunk "$d" 'show({{x = 1, y = {1, 2}}, {x = print}})
show(rg.table({{x = {}}}))'
expect lua_api:show-cell-table 0 "" at "$d" "$RGLIT" render study.md
lacks lua_api:show-cell-table-no-address "$d/study.html" "table: 0x"
lacks lua_api:show-cell-function-no-address "$d/study.html" "function: 0x"

# ---- rg.table ------------------------------------------------------------------------------

renders lua_api:table-options \
    'show(rg.table({{x = 1.23456, y = "a", z = 0}, {x = 2, y = "b"}, {x = 3, y = "c"}}, {cols = {"y", "x"}, digits = 2, caption = "Cap <1>", max_rows = 2}))' \
    '<div class="rg-table" id="tbl-c"><table>
<caption><span class="rg-num">Table 1.</span> Cap &lt;1&gt;</caption>
<thead><tr><th>y</th><th class="num">x</th></tr></thead>
<tbody>
<tr><td>a</td><td class="num">1.2</td></tr>
<tr><td>b</td><td class="num">2</td></tr>
</tbody></table><p class="rg-more">Showing 2 of 3 rows. <a class="rg-download" download="tbl-c.csv" href="data:text/csv;charset=utf-8,y,x%0D%0Aa,1.23456%0D%0Ab,2%0D%0Ac,3%0D%0A">All rows as CSV</a></p></div>'
# p-values: "< p_eps" below it, 2 significant digits above; the CSV keeps
# every digit, quotes what needs it and writes NA for NaN; download = true
# attaches it when nothing is cut
renders lua_api:table-p-cols \
    'show(rg.table({{gene = "A,1", p = 0.0001234, r = 0.5}, {gene = "B", p = 0.04567, r = 0 / 0}}, {cols = {"gene", "r", "p"}, p_cols = {"p"}, download = true}))' \
    '<div class="rg-table"><table>
<thead><tr><th>gene</th><th class="num">r</th><th class="num">p</th></tr></thead>
<tbody>
<tr><td>A,1</td><td class="num">0.5</td><td class="num">&lt; 0.001</td></tr>
<tr><td>B</td><td class="num">NaN</td><td class="num">0.046</td></tr>
</tbody></table><p class="rg-more"><a class="rg-download" download="c.csv" href="data:text/csv;charset=utf-8,gene,r,p%0D%0A%22A,1%22,0.5,0.0001234%0D%0AB,NA,0.04567%0D%0A">All rows as CSV</a></p></div>'
refused lua_api:table-p-cols-unknown 'rg.table({{a = 1}}, {p_cols = {"p"}})' \
    "rg.table: p_cols names 'p', which is not a column"
refused lua_api:table-bad-p-eps 'rg.table({{a = 1}}, {p_eps = 2})' \
    "rg.table: p_eps must be in (0, 1), got 2.0"
refused lua_api:table-bad-download 'rg.table({{a = 1}}, {download = 1})' \
    "rg.table: download must be true or false"
renders lua_api:table-default-digits 'show(rg.table({{v = 1 / 3}, {v = 123456.7}}))' '<div class="rg-table"><table>
<thead><tr><th class="num">v</th></tr></thead>
<tbody>
<tr><td class="num">0.333</td></tr>
<tr><td class="num">123457</td></tr>
</tbody></table></div>'
prints lua_api:table-tostring 'print(rg.table({{a = 1, b = 2}, {a = 3}}))' "rg.Table (2 rows, 2 columns)"
refused lua_api:table-unknown-option 'rg.table({{a = 1}}, {digit = 2})' \
    "rg.table: unknown option 'digit' (digits, cols, caption, max_rows, p_cols, p_eps, download)"
# options are named in the message (not "bad argument #-1", a stack index)
refused lua_api:table-bad-digits 'rg.table({{a = 1}}, {digits = 0})' \
    "rg.table: digits must be an integer from 1 to 17"
refused lua_api:table-bad-max-rows 'rg.table({{a = 1}}, {max_rows = -1})' \
    "rg.table: max_rows must be an integer >= 0"
refused lua_api:table-bad-caption 'rg.table({{a = 1}}, {caption = 1})' \
    "rg.table: caption must be a string"
refused lua_api:table-bad-cols 'rg.table({{a = 1}}, {cols = "a"})' \
    "rg.table: cols must be a list of column names"
refused lua_api:table-cols-twice 'rg.table({{a = 1}}, {cols = {"a", "a"}})' \
    "cols: column 'a' is named twice"
refused lua_api:table-row-not-record 'rg.table({{a = 1}, 5})' \
    "row 2 is a number, not a record (a table of name = value)"

# ---- rg.record and the manifest --------------------------------------------------------------

d=$(newdir)
chunk "$d" 'rg.record("i", 3)
rg.record("s", "say \"hi\"")
rg.record("b", false)
rg.record("arr", {1, 2.5, "x"})
rg.record("map", {b = 1, a = {c = true}})
rg.record("nan", 0 / 0)
rg.record("inf", -1 / 0)
rg.record("empty", {})'
expect lua_api:record 0 "" at "$d" "$RGLIT" render study.md
is lua_api:record-manifest "$(sed -n '/^	"records":/,/^	},$/p' "$d/study.html" 2>/dev/null)" '	"records":	{
		"i":	3,
		"s":	"say \"hi\"",
		"b":	false,
		"arr":	[1, 2.5, "x"],
		"map":	{
			"a":	{
				"c":	true
			},
			"b":	1
		},
		"nan":	"NaN",
		"inf":	"-Infinity",
		"empty":	[]
	},'
has lua_api:record-appendix "$d/study.html" '<tr><td>map</td><td>{a: {c: true}, b: 1}</td></tr>'
has lua_api:record-appendix-nan "$d/study.html" '<tr><td>nan</td><td>NaN</td></tr>'

# full precision: every double and every integer reads back to itself
d=$(newdir)
chunk "$d" 'rg.record("sum", 0.1 + 0.2)
rg.record("tenth", 0.1)
rg.record("big_int", (1 << 53) + 1)
rg.record("big_float", 2^53 // 1 + 1) -- a float: 2^53 + 1 rounds to 2^53'
expect lua_api:record-precision 0 "" at "$d" "$RGLIT" render study.md
has lua_api:record-precision-sum "$d/study.html" '"sum":	0.30000000000000004,'
has lua_api:record-precision-tenth "$d/study.html" '"tenth":	0.1,'
has lua_api:record-precision-int "$d/study.html" '"big_int":	9007199254740993,'
has lua_api:record-precision-float "$d/study.html" '"big_float":	9007199254740992'

# the duplicate is on the second line of the chunk: study line 7
d=$(newdir)
chunk "$d" 'rg.record("a", 1)
rg.record("a", 2)'
expect lua_api:record-duplicate-line 1 \
    "study.md:7: rg.record: 'a' was recorded before; record names must be unique" \
    at "$d" "$RGLIT" render study.md
refused lua_api:record-function 'rg.record("f", print)' \
    "rg.record: cannot store a function (numbers, strings, booleans and tables of them only)"
refused lua_api:record-nested-function 'rg.record("f", {1, {print}})' \
    "rg.record: cannot store a function (numbers, strings, booleans and tables of them only)"
refused lua_api:record-mixed-keys 'rg.record("m", {1, x = 2})' \
    "rg.record: a table must be an array (keys 1..n) or a map with string keys"
refused lua_api:record-nil 'rg.record("x", nil)' \
    "bad argument #2 to 'record' (nothing to record (nil))"
refused lua_api:record-empty-name 'rg.record("", 1)' \
    "bad argument #1 to 'record' (record names cannot be empty)"
refused lua_api:record-cycle 'local t = {}; t[1] = t; rg.record("t", t)' \
    "rg.record: tables nested deeper than 32 levels (a cycle?)"

# ---- rg.fmt and rg.fmt_p ----------------------------------------------------------------------

prints lua_api:fmt 'print(rg.fmt(0.000012345))
print(rg.fmt(123456.7))
print(rg.fmt(2.0))
print(rg.fmt(0.5, 3))
print(rg.fmt(0 / 0))
print(rg.fmt(1 / 3))
print(rg.fmt(1 / 3, 5))
print(rg.fmt(-1 / 0))
print(rg.fmt(42))
print(rg.fmt(nil))' '1.23e-05
123457
2
0.5
NaN
0.333
0.33333
-Inf
42
NA'
prints lua_api:fmt-p 'print(rg.fmt_p(0.0001))
print(rg.fmt_p(0.0123))
print(rg.fmt_p(0.04567))
print(rg.fmt_p(0.001))
print(rg.fmt_p(0))
print(rg.fmt_p(1))' '&lt; 0.001
0.0123
0.0457
0.001
&lt; 0.001
1'
refused lua_api:fmt-p-above-one 'rg.fmt_p(1.5)' "rg.fmt_p: 1.5 is not a probability (0 <= p <= 1)"
refused lua_api:fmt-p-negative 'rg.fmt_p(-0.25)' "rg.fmt_p: -0.25 is not a probability (0 <= p <= 1)"
refused lua_api:fmt-string 'rg.fmt("1.5")' "rg.fmt: expected a number, got a string"
refused lua_api:fmt-digits 'rg.fmt(1.5, 18)' "bad argument #2 to 'fmt' (digits must be 1 to 17)"

# ---- warn and rg.note: the Notes section ------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
# Notes

```lua
--| label: noisy
local x = 1
warn("check <this>")
rg.note("y")
warn("@on")
warn("two ", "parts")
```

Inline `{lua} rg.note("from inline") or "text"`.
EOF
expect lua_api:notes 0 "" at "$d" "$RGLIT" render study.md
is lua_api:notes-section "$(sed -n '/<section class="rg-notes" id="notes">/,/<\/section>/p' "$d/study.html" 2>/dev/null)" \
    '<section class="rg-notes" id="notes">
<h2>Notes</h2>
<ul>
<li><a class="rg-where" href="#noisy">study.md:6 (chunk noisy)</a>: check &lt;this&gt;</li>
<li><a class="rg-where" href="#noisy">study.md:7 (chunk noisy)</a>: y</li>
<li><a class="rg-where" href="#noisy">study.md:9 (chunk noisy)</a>: two parts</li>
<li><span class="rg-where">study.md:12</span>: from inline</li>
</ul>
</section>'
has lua_api:notes-manifest "$d/study.html" '"where":	"study.md:7 (chunk noisy)",'
refused lua_api:warn-not-string 'warn({})' "bad argument #1 to 'warn' (string expected, got table)"

# ---- figures and tables in the report: numbers, captions, cross-references ------------------

d=$(newdir)
study "$d" <<'EOF'
# Figures

@fig-trend shows the trend, @tbl-genes the genes; @fig-trend-2 is the
second figure of that chunk and @fig-nope no figure at all. [A link to
@fig-trend](#x) stays as written.

```lua
--| label: fig-trend
--| fig-cap: Marker <trend>
--| fig-alt: Points rising to the right
local x = {1, 2, 3, 4}
show(plot.scatter{x = x, y = {1, 3, 2, 4}, title = "Trend"})
plot.scatter{x = x, y = {4, 3, 2, 1}}
rg.note("a note from a figure chunk")
```

```lua
--| label: genes
--| tbl-cap: Genes kept
--| fig-width: 3
show(rg.table({{gene = "A", p = 0.5}}))
local f = plot.scatter{x = {1, 2}, y = {2, 1}}
f:caption("Own caption"):alt("Own alt")
show(rg.table({{gene = "B"}}, {caption = "Second"}))
show(rg.table({{gene = "C"}}))
```
EOF
expect lua_api:xref-render 0 "" at "$d" "$RGLIT" render study.md
has lua_api:xref-figure "$d/study.html" '<p><a class="rg-xref" href="#fig-trend">Figure 1</a> shows the trend, <a class="rg-xref" href="#tbl-genes">Table 1</a> the genes; <a class="rg-xref" href="#fig-trend-2">Figure 2</a> is the'
has lua_api:xref-unknown-kept "$d/study.html" 'second figure of that chunk and @fig-nope no figure at all.'
has lua_api:xref-in-link-kept "$d/study.html" '@fig-trend</a> stays as written.'
has lua_api:xref-unknown-note "$d/study.html" '<li><span class="rg-where">study.md:3</span>: @fig-nope refers to no figure or table (ids come from chunk labels: fig-LABEL, tbl-LABEL)</li>'
has lua_api:figure-id "$d/study.html" '<figure class="rg-figure" id="fig-trend">'
has lua_api:figure-alt "$d/study.html" 'aria-label="Points rising to the right">'
has lua_api:figure-caption "$d/study.html" '<figcaption><span class="rg-num">Figure 1.</span> Marker &lt;trend&gt; <a class="rg-download" download="fig-trend.svg" href="data:image/svg+xml;charset=utf-8,%3Csvg%20'
# the figure drawn and not shown is placed after the chunk, with the chunk's caption
has lua_api:figure-placed "$d/study.html" '<figure class="rg-figure" id="fig-trend-2">'
has lua_api:figure-placed-caption "$d/study.html" '<figcaption><span class="rg-num">Figure 2.</span> Marker &lt;trend&gt; <a'
# a chunk labelled fig-... keeps its div under another id; notes link to it
has lua_api:figure-chunk-id "$d/study.html" '<div class="rg-chunk" id="chunk-fig-trend">'
has lua_api:figure-note-link "$d/study.html" '<li><a class="rg-where" href="#chunk-fig-trend">study.md:14 (chunk fig-trend)</a>: a note from a figure chunk</li>'
# tables: their own caption, else the chunk's tbl-cap (every table of the chunk)
has lua_api:table-numbered "$d/study.html" '<div class="rg-table" id="tbl-genes"><table>'
has lua_api:table-numbered-caption "$d/study.html" '<caption><span class="rg-num">Table 1.</span> Genes kept</caption>'
has lua_api:table-own-caption "$d/study.html" '<div class="rg-table" id="tbl-genes-2"><table>'
has lua_api:table-own-caption-text "$d/study.html" '<caption><span class="rg-num">Table 2.</span> Second</caption>'
has lua_api:table-chunk-caption "$d/study.html" '<div class="rg-table" id="tbl-genes-3"><table>'
has lua_api:figure-own-caption "$d/study.html" '<figcaption><span class="rg-num">Figure 3.</span> Own caption <a'
has lua_api:figure-own-alt "$d/study.html" 'aria-label="Own alt">'
# fig-width: 3 inches at 96 pixels each
has lua_api:figure-fig-width "$d/study.html" 'class="rg-plot rg-scatter" width="288" height="420"'
lacks lua_api:figure-no-nan "$d/study.html" 'NaN"'

# ---- pairs -----------------------------------------------------------------------------------------

d=$(newdir)
chunk "$d" 'local t = {b = 1, a = 2, [3] = "c", [1] = "d", [2.5] = "e", zz = 0, [-1] = "n", B = 9}
for k, v in pairs(t) do print(k, v) end'
expect lua_api:pairs-sorted 0 "" at "$d" "$RGLIT" render study.md -o one.html
is lua_api:pairs-sorted-output "$(outputs "$d/one.html")" "-1	n
1	d
2.5	e
3	c
B	9
a	2
b	1
zz	0"
at "$d" "$RGLIT" render study.md -o two.html
same lua_api:pairs-same-twice "$d/one.html" "$d/two.html"

# ---- random numbers -------------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
---
seed: 42
---

```lua
--| label: a
local t = {} for i = 1, 12 do t[i] = math.random(1, 6) end
print(table.concat(t, " "))
```

```lua
--| label: b
local t = {} for i = 1, 12 do t[i] = math.random(1, 6) end
print(table.concat(t, " "))
```
EOF
expect lua_api:random 0 "" at "$d" "$RGLIT" render study.md -o r1.html
at "$d" "$RGLIT" render study.md -o r2.html
a1=$(printed "$d/r1.html" a) a2=$(printed "$d/r2.html" a) b1=$(printed "$d/r1.html" b)
if [ -n "$a1" ] && [ "$a1" = "$a2" ]; then ok lua_api:random-reproducible; else
    fail lua_api:random-reproducible "[$a1] vs [$a2]"
fi
if [ -n "$a1" ] && [ "$a1" != "$b1" ]; then ok lua_api:random-per-label; else
    fail lua_api:random-per-label "chunks a and b drew the same [$a1]"
fi
if printf '%s\n' "$a1" | grep -Eq '^([1-6] ){11}[1-6]$'; then
    ok lua_api:random-range
else
    fail lua_api:random-range "draws [$a1]"
fi

# editing one chunk leaves another chunk's numbers alone
sed -i '/^--| label: a$/a local extra = math.random()' "$d/study.md"
at "$d" "$RGLIT" render study.md -o r3.html
if [ -n "$b1" ] && [ "$(printed "$d/r3.html" b)" = "$b1" ]; then ok lua_api:random-edit-isolated; else
    fail lua_api:random-edit-isolated "chunk b drew [$(printed "$d/r3.html" b)] after editing a, [$b1] before"
fi
if [ "$(printed "$d/r3.html" a)" != "$a1" ]; then ok lua_api:random-edit-changes-edited; else
    fail lua_api:random-edit-changes-edited "the edit of chunk a did not reach the study"
fi

# a chunk's seed option pins its stream whatever the document seed
d=$(newdir)
study "$d" <<'EOF'
```lua
--| label: pinned
--| seed: 5
print(math.random(1, 1000000), math.random(1, 1000000))
```
EOF
at "$d" "$RGLIT" render study.md --seed 1 -o s1.html
at "$d" "$RGLIT" render study.md --seed 2 -o s2.html
p1=$(outputs "$d/s1.html")
if [ -n "$p1" ] && [ "$p1" = "$(outputs "$d/s2.html")" ]; then ok lua_api:random-chunk-seed; else
    fail lua_api:random-chunk-seed "[$p1] vs [$(outputs "$d/s2.html")]"
fi

refused lua_api:randomseed-no-arg 'math.randomseed()' \
    "math.randomseed needs a seed in a study (random numbers are reproducible: each chunk has its own stream)"
prints lua_api:randomseed-restarts \
    'math.randomseed(5); local a = math.random(1, 1000000); math.randomseed(5); print(a == math.random(1, 1000000))' "true"
refused lua_api:random-empty-interval 'math.random(6, 1)' \
    "bad argument #2 to 'random' (interval is empty)"

prints lua_api:rng-properties 'local u = rg.rng.uniform(1000)
local lo, hi = 1, 0
for _, v in ipairs(u) do lo = math.min(lo, v); hi = math.max(hi, v) end
print(#u, lo >= 0, hi < 1, lo < 0.05, hi > 0.95)
local z = rg.rng.normal(4000, 10, 2)
local s, ss = 0, 0
for _, v in ipairs(z) do s = s + v; ss = ss + v * v end
local m = s / #z
print(#z, math.abs(m - 10) < 0.2, math.abs(math.sqrt(ss / #z - m * m) - 2) < 0.2)
local p = rg.rng.permutation(20)
local sorted = {table.unpack(p)}
table.sort(sorted)
print(#p, table.concat(sorted, ","))
local q = rg.rng.sample(10, 4)
local seen, okq = {}, true
for _, v in ipairs(q) do okq = okq and v >= 1 and v <= 10 and not seen[v]; seen[v] = true end
print(#q, okq)
print(#rg.rng.uniform(0), #rg.rng.permutation(0), #rg.rng.sample(5, 0), #rg.rng.sample(5, 5))' \
    "1000	true	true	true	true
4000	true	true
20	1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20
4	true
0	0	0	5"
refused lua_api:rng-uniform-negative 'rg.rng.uniform(-1)' "uniform: n must be a count (0 <= n), got -1"
refused lua_api:rng-normal-negative 'rg.rng.normal(-2)' "normal: n must be a count (0 <= n), got -2"
refused lua_api:rng-normal-sd 'rg.rng.normal(3, 0, -1)' "normal: sd must be >= 0 and mean a number"
refused lua_api:rng-permutation-negative 'rg.rng.permutation(-3)' \
    "permutation: n must be a count (0 <= n), got -3"
refused lua_api:rng-sample-k-too-big 'rg.rng.sample(3, 4)' "sample: k must be in 0..n (n = 3), got 4"
refused lua_api:rng-sample-k-negative 'rg.rng.sample(3, -1)' "sample: k must be in 0..n (n = 3), got -1"
refused lua_api:rng-sample-n-negative 'rg.rng.sample(-3, 1)' "sample: n must be a count (0 <= n), got -3"

d=$(newdir)
study "$d" <<'EOF'
```lua
--| label: one
local s = rg.rng.stream("shared")
print(table.concat(s:uniform(3), " "), s:random(1, 100), tostring(s))
```

```lua
--| label: two
local before = math.random()
local s = rg.rng.stream("shared")
print(table.concat(s:uniform(3), " "), s:random(1, 100), tostring(s))
```
EOF
expect lua_api:stream 0 "" at "$d" "$RGLIT" render study.md
s1=$(printed "$d/study.html" one) s2=$(printed "$d/study.html" two)
if [ -n "$s1" ] && [ "$s1" = "$s2" ]; then ok lua_api:stream-same-in-two-chunks; else
    fail lua_api:stream-same-in-two-chunks "[$s1] vs [$s2]"
fi

# ---- chunk options: output and echo -------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
# Options

```lua
--| label: hidden
--| output: false
print("HIDDEN_PRINT")
show("HIDDEN_SHOW")
```

```lua
--| label: asis
--| output: asis
print("**bold** and <script>alert(1)</script> <b>raw</b>")
print("")
print("- item")
```

```lua
--| label: quiet
--| echo: false
-- SECRET_COMMENT
print("visible output")
```
EOF
expect lua_api:options 0 "" at "$d" "$RGLIT" render study.md
f=$d/study.html
lacks lua_api:output-false-print "$f" '<pre class="rg-output">HIDDEN_PRINT'
lacks lua_api:output-false-show "$f" '<div class="rg-text">HIDDEN_SHOW</div>'
has lua_api:output-false-code-shown "$f" 'print(&quot;HIDDEN_PRINT&quot;)'
has lua_api:output-asis-markdown "$f" '<p><strong>bold</strong> and '
has lua_api:output-asis-list "$f" '<li>item</li>'
lacks lua_api:output-asis-no-script "$f" '<script>alert(1)'
lacks lua_api:output-asis-no-raw-b "$f" '<b>raw</b>'
lacks lua_api:echo-false-no-code "$f" 'SECRET_COMMENT'
has lua_api:echo-false-output "$f" '<pre class="rg-output">visible output'
is lua_api:echo-false-chunk "$(shown "$f" quiet)" '<pre class="rg-output">visible output
</pre>'

# ---- byte-identical reports ------------------------------------------------------------------------------

d=$(newdir)
study "$d" <<'EOF'
---
title: Determinism
seed: 99
params:
  n: 50
---

Mean of `{lua} params.n` draws: `{lua} rg.fmt(mean)`.

```lua
--| label: draw
local x = rg.rng.normal(params.n)
local s = 0
for _, v in ipairs(x) do s = s + v end
mean = s / #x
rg.record("mean", mean)
local t = {b = 1, a = 2, c = 3}
for k, v in pairs(t) do print(k, v) end
show({{id = "s1", v = x[1]}, {id = "s2", v = x[2]}})
warn("a note")
```
EOF
expect lua_api:identical 0 "" at "$d" "$RGLIT" render study.md -o a.html
at "$d" "$RGLIT" render study.md -o b.html
same lua_api:identical-twice "$d/a.html" "$d/b.html"
at "$d" env OPENBLAS_NUM_THREADS=1 "$RGLIT" render study.md -o t1.html
at "$d" env OPENBLAS_NUM_THREADS=2 "$RGLIT" render study.md -o t2.html
same lua_api:identical-threads "$d/t1.html" "$d/t2.html"
same lua_api:identical-threads-default "$d/a.html" "$d/t2.html"

# rg.cor's NaN results come with a note naming the study line
d=$(newdir)
chunk "$d" 'local a = rg.cor({1, 2, 0/0}, {1, 2, 3})
local b = rg.cor({1, 2, 3}, {5, 5, 5})
local c = rg.cor({1e-300, 3e-300, 2e-300}, {2e-300, 3e-300, 7e-300})'
expect lua_api:cor-notes 0 "" at "$d" "$RGLIT" render study.md
has lua_api:cor-note-few "$d/study.html" "study.md:6 (chunk c)</a>: rg.cor: 2 complete pairs (3 needed): r and p are NaN"
has lua_api:cor-note-constant "$d/study.html" "study.md:7 (chunk c)</a>: rg.cor: a variable is constant (zero variance): r and p are NaN"
has lua_api:cor-note-underflow "$d/study.html" "study.md:8 (chunk c)</a>: rg.cor: the covariance underflows double precision (values near 1e-300; rescale them): r and p are NaN"
