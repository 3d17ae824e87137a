# tests/cli/build.sh — properties of the built binary: OpenBLAS is loaded
# ahead of GSL (whose own libgslcblas would otherwise serve cblas_*), and the
# Lua library and templates are embedded (an installed rglit works from any
# folder, without the source tree).
. "$(dirname "$0")/lib.sh"
needed=$(readelf -d "$RGLIT" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
blas=$(printf '%s\n' "$needed" | grep -n openblas | cut -d: -f1)
gsl=$(printf '%s\n' "$needed" | grep -n 'libgsl\.' | cut -d: -f1)
if [ -n "$blas" ] && [ -n "$gsl" ] && [ "$blas" -lt "$gsl" ]; then
    ok "build:openblas-before-gsl"
else
    fail "build:openblas-before-gsl" "NEEDED order: $(echo $needed)"
fi
d=$(newdir)
cp "$RGLIT" "$d/rglit"
mkdir "$d/s"
printf '```lua\nlocal check = require "check"\ncheck.that(true)\nprint("embedded")\n```\n' >"$d/s/study.md"
(cd / && "$d/rglit" render "$d/s/study.md" -o "$d/s/r.html" 2>"$d/err")
has "build:embedded-resources" "$d/s/r.html" "embedded"
