# tests/cli/lua_tests.sh — Lua-level tests: every tests/lua/*.md is a study
# whose chunks assert with lua/check.lua; it passes when it renders.
. "$(dirname "$0")/lib.sh"
found=0
for f in "$ROOT"/tests/lua/*.md; do
    [ -e "$f" ] || continue
    found=1
    name="lua:$(basename "$f" .md)"
    d=$(newdir)
    run "$RGLIT" render "$f" -o "$d/report.html" --allow-read "$ROOT/tests/conformance/data"
    if [ "$rc" = 0 ]; then ok "$name"; else fail "$name" "$err"; fi
done
[ "$found" = 1 ] || fail "lua:files" "no tests/lua/*.md"
