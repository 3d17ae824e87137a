#!/usr/bin/env bash
# tests/cli/sandbox.sh — what a study's Lua can and cannot reach: the removed
# libraries and functions, binary chunks, require (names, the study's folder,
# links), rg.read_text and --allow-read, and the read-only params and study.
. "$(dirname "$0")/lib.sh"

# output_is NAME FILE TEXT: the report's printed output is exactly TEXT
output_is() {
    local got
    got=$(outputs "$2")
    if [ -e "$2" ] && [ "$got" = "$3" ]; then ok "$1"; else fail "$1" "output [$got], want [$3]"; fi
}

# chunk DIR CODE: a study whose one chunk is CODE; its first line is study
# line 4.
chunk() {
    printf -- '# Sandbox\n\n```lua\n%s\n```\n' "$2" >"$1/study.md"
}

# refused NAME CODE MESSAGE: CODE fails the render at study line 4 with
# MESSAGE (exit 1) and leaves no report.
refused() {
    local d
    d=$(newdir)
    chunk "$d" "$2"
    expect "$1" 1 "study.md:4: $3" at "$d" "$RGLIT" render study.md
    absent "$1-no-report" "$d/study.html"
}

# output NAME CODE TEXT: CODE renders (exit 0) and prints TEXT (exactly, as
# the report's output block shows it).
output() {
    local d
    d=$(newdir)
    chunk "$d" "$2"
    expect "$1" 0 "" at "$d" "$RGLIT" render study.md
    output_is "$1-output" "$d/study.html" "$3"
}

# ---- removed libraries and functions --------------------------------------------

refused sandbox:os-execute 'os.execute("touch pwned")' \
    "attempt to index a nil value (global 'os')"
refused sandbox:os-getenv 'print(os.getenv("HOME"))' \
    "attempt to index a nil value (global 'os')"
refused sandbox:io-open 'io.open("study.md")' \
    "attempt to index a nil value (global 'io')"
refused sandbox:debug-getinfo 'debug.getinfo(1)' \
    "attempt to index a nil value (global 'debug')"
refused sandbox:package-loadlib 'package.loadlib("libc.so.6", "system")' \
    "attempt to index a nil value (global 'package')"
refused sandbox:dofile 'dofile("study.md")' \
    "attempt to call a nil value (global 'dofile')"
refused sandbox:loadfile 'loadfile("study.md")' \
    "attempt to call a nil value (global 'loadfile')"
output sandbox:removed-are-nil 'print(os, io, debug, package, dofile, loadfile)' \
    "nil	nil	nil	nil	nil	nil"

# ---- binary chunks ---------------------------------------------------------------------

# default mode: load refuses the binary chunk and returns nil, message
output sandbox:load-binary-default \
    'print(load(string.dump(function() return 1 end)))' \
    "nil	attempt to load a binary chunk (mode is &#39;t&#39;)"
refused sandbox:load-binary-assert \
    'local f = assert(load(string.dump(function() return 1 end)))' \
    "attempt to load a binary chunk (mode is 't')"
refused sandbox:load-binary-mode-b \
    'load(string.dump(function() return 1 end), "x", "b")' \
    "load: binary chunks are refused in a study (mode 'b')"
refused sandbox:load-binary-mode-bt \
    'load(string.dump(function() return 1 end), "x", "bt")' \
    "load: binary chunks are refused in a study (mode 'bt')"
# a reader function cannot smuggle the binary chunk in either
output sandbox:load-binary-reader \
    'local s = string.dump(function() return 1 end); local f, e = load(function() local r = s; s = nil; return r end); print(f, e)' \
    "nil	attempt to load a binary chunk (mode is &#39;t&#39;)"
output sandbox:load-text 'print(load("return 1 + 1")(), load("return x", "n", "t", {x = 5})())' \
    "2	5"

# ---- require ------------------------------------------------------------------------------

refused sandbox:require-lpeg 'require("lpeg")' \
    "require: module 'lpeg' not found (looked for lua/lpeg.lua in rglit's library and lpeg.lua in the study's folder)"
refused sandbox:require-socket-core 'require("socket.core")' \
    "require: module 'socket.core' not found (looked for lua/socket/core.lua in rglit's library and socket/core.lua in the study's folder)"
refused sandbox:require-string-lib 'require("string")' \
    "require: module 'string' not found (looked for lua/string.lua in rglit's library and string.lua in the study's folder)"
refused sandbox:require-dotdot 'require("..x")' \
    "require: '..x' is not a module name (letters, digits, '_', '-', and '.' between parts)"
refused sandbox:require-parent 'require("a..b")' \
    "require: 'a..b' is not a module name (letters, digits, '_', '-', and '.' between parts)"
refused sandbox:require-slash 'require("../x")' \
    "require: '../x' is not a module name (letters, digits, '_', '-', and '.' between parts)"
refused sandbox:require-absolute 'require("/etc/passwd")' \
    "require: '/etc/passwd' is not a module name (letters, digits, '_', '-', and '.' between parts)"

d=$(newdir)
cat >"$d/helpers.lua" <<'EOF'
local M = {}
function M.double(x)
  return 2 * x -- HELPERS_SOURCE_MARK
end
return M
EOF
mkdir "$d/sub"
printf 'return {name = "inner"}\n' >"$d/sub/inner.lua"
chunk "$d" 'local h = require("helpers"); print(h.double(21), require("sub.inner").name, require("helpers") == h)'
expect sandbox:require-study-module 0 "" at "$d" "$RGLIT" render study.md
has sandbox:require-study-module-runs "$d/study.html" '<pre class="rg-output">42	inner	true'
sum=$(sha256sum "$d/helpers.lua" | cut -d' ' -f1)
bytes=$(wc -c <"$d/helpers.lua")
has sandbox:require-module-input "$d/study.html" "<tr><td>helpers.lua</td><td>module</td><td class=\"num\">$bytes</td><td></td><td><code>$sum</code></td></tr>"
has sandbox:require-submodule-input "$d/study.html" "<tr><td>sub/inner.lua</td><td>module</td>"
has sandbox:require-module-source-shown "$d/study.html" "<summary>Module helpers.lua</summary>"
has sandbox:require-module-source-text "$d/study.html" "  return 2 * x -- HELPERS_SOURCE_MARK"
has sandbox:require-module-manifest "$d/study.html" '"path":	"helpers.lua",'

d=$(newdir)
mkdir "$d/study" "$d/outside"
printf 'return {v = 42}\n' >"$d/outside/evil.lua"
ln -s ../outside/evil.lua "$d/study/evil.lua"
chunk "$d/study" 'print(require("evil").v)'
expect sandbox:require-symlink-outside 1 \
    "study.md:4: require: 'evil.lua' is a link to a file outside the study's folder" \
    at "$d/study" "$RGLIT" render study.md
absent sandbox:require-symlink-outside-no-report "$d/study/study.html"
# --allow-read is for data, never for modules
expect sandbox:require-symlink-allow-read 1 \
    "study.md:4: require: 'evil.lua' is a link to a file outside the study's folder" \
    at "$d/study" "$RGLIT" render study.md --allow-read ../outside

# ---- rg.read_text ------------------------------------------------------------------------------
#
# A path outside the study's folder is refused for what it is, whether or not
# the file exists (a study must not learn which files exist elsewhere).

d=$(newdir)
mkdir "$d/study" "$d/other" "$d/study/data"
printf 'hello text\n' >"$d/study/data/a.txt"
chunk "$d/study" 'io_text = rg.read_text("data/a.txt"); print(#io_text, (io_text:gsub("\n", "")))'
expect sandbox:read-text 0 "" at "$d/study" "$RGLIT" render study.md
has sandbox:read-text-value "$d/study/study.html" '<pre class="rg-output">11	hello text'
sum=$(sha256sum "$d/study/data/a.txt" | cut -d' ' -f1)
has sandbox:read-text-input "$d/study/study.html" "<tr><td>data/a.txt</td><td>text</td><td class=\"num\">11</td><td></td><td><code>$sum</code></td></tr>"
has sandbox:read-text-manifest "$d/study/study.html" "\"sha256\":	\"$sum\""

printf 'secret\n' >"$d/other/x.txt"
ln -s ../other/x.txt "$d/study/link.txt"
for case in \
    'dotdot|rg.read_text("../other/x.txt")|'"'../other/x.txt' leads outside the study's folder (use --allow-read DIR to allow a folder)" \
    'dotdot-inside|rg.read_text("data/../../other/x.txt")|'"'data/../../other/x.txt' leads outside the study's folder (use --allow-read DIR to allow a folder)" \
    'absolute|rg.read_text("'"$d"'/other/x.txt")|'"'$d/other/x.txt': absolute paths outside the study's folder are refused (use --allow-read DIR to allow a folder)" \
    'absolute-missing|rg.read_text("/nonexistent/x.txt")|'"'/nonexistent/x.txt': absolute paths outside the study's folder are refused (use --allow-read DIR to allow a folder)" \
    'dotdot-missing|rg.read_text("../missing.txt")|'"'../missing.txt' leads outside the study's folder (use --allow-read DIR to allow a folder)" \
    'symlink|rg.read_text("link.txt")|'"'link.txt' is a link to a file outside the study's folder (use --allow-read DIR to allow a folder)" \
    'empty|rg.read_text("")|empty file name'; do
    name=${case%%|*}
    rest=${case#*|}
    code=${rest%%|*}
    msg=${rest#*|}
    chunk "$d/study" "$code"
    rm -f "$d/study/study.html"
    expect "sandbox:read-text-$name" 1 "study.md:4: $msg" at "$d/study" "$RGLIT" render study.md
    absent "sandbox:read-text-$name-no-report" "$d/study/study.html"
done

# missing files and folders are data errors (exit 3)
chunk "$d/study" 'rg.read_text("missing.txt")'
# the tail is strerror(ENOENT), the C library's wording
expect_match sandbox:read-text-missing 3 "^study\.md:4: cannot open 'missing\.txt': .+$" \
    at "$d/study" "$RGLIT" render study.md
absent sandbox:read-text-missing-no-report "$d/study/study.html"
chunk "$d/study" 'rg.read_text("data")'
expect sandbox:read-text-folder 3 "study.md:4: 'data' is not a regular file" \
    at "$d/study" "$RGLIT" render study.md
absent sandbox:read-text-folder-no-report "$d/study/study.html"
# a data error caught by pcall is the study's business
chunk "$d/study" 'print(pcall(rg.read_text, "data"))'
expect sandbox:read-text-pcall 0 "" at "$d/study" "$RGLIT" render study.md
output_is sandbox:read-text-pcall-output "$d/study/study.html" \
    "false	&#39;data&#39; is not a regular file"

# --allow-read makes a folder readable; the path is recorded relative to the study
chunk "$d/study" 'print(rg.read_text("../other/x.txt"))'
expect sandbox:allow-read 0 "" at "$d/study" "$RGLIT" render study.md --allow-read ../other
sum=$(sha256sum "$d/other/x.txt" | cut -d' ' -f1)
has sandbox:allow-read-value "$d/study/study.html" '<pre class="rg-output">secret'
has sandbox:allow-read-input "$d/study/study.html" "<tr><td>../other/x.txt</td><td>text</td><td class=\"num\">7</td><td></td><td><code>$sum</code></td></tr>"
has sandbox:allow-read-command "$d/study/study.html" '"command":	"rglit render study.md --allow-read ../other",'
# through the link, with the folder allowed: recorded as the real file
chunk "$d/study" 'print(rg.read_text("link.txt"))'
expect sandbox:allow-read-symlink 0 "" at "$d/study" "$RGLIT" render study.md --allow-read "$d/other"
has sandbox:allow-read-symlink-input "$d/study/study.html" "<tr><td>../other/x.txt</td><td>text</td>"
# the allowed folder does not open its siblings
printf 'no\n' >"$d/sibling.txt"
chunk "$d/study" 'rg.read_text("../sibling.txt")'
expect sandbox:allow-read-only-that-folder 1 \
    "study.md:4: '../sibling.txt' leads outside the study's folder (use --allow-read DIR to allow a folder)" \
    at "$d/study" "$RGLIT" render study.md --allow-read ../other

# ---- params and study are read-only ----------------------------------------------------------

ro() { # NAME CODE MESSAGE|OUTPUT MODE(refused|output)
    local d
    d=$(newdir)
    cat >"$d/study.md" <<EOF
---
seed: 11
params:
  x: 1
  xs: [1, 2]
---

\`\`\`lua
$2
\`\`\`
EOF
    if [ "$4" = refused ]; then
        expect "$1" 1 "study.md:9: $3" at "$d" "$RGLIT" render study.md
        absent "$1-no-report" "$d/study.html"
    else
        expect "$1" 0 "" at "$d" "$RGLIT" render study.md
        output_is "$1-output" "$d/study.html" "$3"
    fi
}

ro sandbox:params-assign 'params.x = 2' \
    "params is read-only (set params in the front matter or with -P)" refused
ro sandbox:params-assign-new 'params.y = 2' \
    "params is read-only (set params in the front matter or with -P)" refused
ro sandbox:study-params-assign 'study.params.x = 2' \
    "params is read-only (set params in the front matter or with -P)" refused
ro sandbox:study-assign 'study.seed = 3' \
    "study is read-only (it describes the study file)" refused
# the metatable is protected: Lua's own message
ro sandbox:params-setmetatable 'setmetatable(params, {})' \
    "cannot change a protected metatable" refused
ro sandbox:params-getmetatable 'print(getmetatable(params), getmetatable(study))' \
    "false	false" output
# rawset must not get around the protection: the proxy is checked after each
# chunk, and a changed one fails the render (named at the chunk's fence, line 8)
for which in params study; do
    d=$(newdir)
    study "$d" <<EOF
---
seed: 11
params:
  x: 1
  xs: [1, 2]
---

\`\`\`lua
pcall(rawset, $which, "x", 5)
\`\`\`
EOF
    expect "sandbox:$which-rawset" 1 "study.md:8: $which was changed with rawset; it is read-only" \
        at "$d" "$RGLIT" render study.md
    absent "sandbox:$which-rawset-no-report" "$d/study.html"
done
# nor may a nested value be changed in place
ro sandbox:params-nested 'pcall(function() params.xs[1] = 99 end); print(params.xs[1], #params.xs)' \
    "1	2" output
ro sandbox:params-read 'for k, v in pairs(params) do print(k, type(v)) end' "x	number
xs	table" output
ro sandbox:study-read 'print(study.seed, study.path, study.params.x, math.type(study.seed))' \
    "11	study.md	1	integer" output

# ---- what a study does have -------------------------------------------------------------------

output sandbox:collectgarbage 'print(math.type(collectgarbage("count")), collectgarbage("count") > 0)' \
    "float	true"
output sandbox:libraries \
    'print(("%d-%s"):format(3, string.upper("a")), table.concat({1, 2}, "+"), math.floor(2.5), utf8.char(72, 105), utf8.len("héllo"), coroutine.wrap(function() coroutine.yield("co") end)())' \
    "3-A	1+2	2	Hi	5	co"
