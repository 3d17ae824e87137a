# tests/cli/data.sh — rg.read_csv from a study: malformed files fail with exit
# 3 and "study.md:LINE: FILE:ROW:COL: message"; inputs are recorded with rows
# x columns and SHA-256; joins that drop IDs leave a note.
. "$(dirname "$0")/lib.sh"

# bad NAME MESSAGE: data.csv (stdin) read by a one-chunk study fails with MESSAGE
bad() {
    local d
    d=$(newdir)
    cat >"$d/data.csv"
    printf '# Data\n\n```lua\nlocal f = rg.read_csv("data.csv")\n```\n' >"$d/study.md"
    expect "data:$1" 3 "study.md:4: $2" at "$d" "$RGLIT" render study.md
    absent "data:$1-no-report" "$d/study.html"
}

printf '' | bad empty "data.csv: the file is empty"
printf 'ID,a,b\n' | bad header-only "data.csv: the file has a header but no rows"
printf 'ID,a,b\nP1,1,2\nP2,3\n' | bad ragged-short "data.csv:3: 2 fields, but the header has 3"
printf 'ID,a,b\nP1,1,2,4\n' | bad ragged-long "data.csv:2: 4 fields, but the header has 3"
printf 'ID,a,b\nP1,1,2\nP2,x1,2\n' | bad not-number \
    "data.csv:3:2: 'x1' is not a number (column 'a'; declare it in string_cols to keep text)"
printf 'ID,a\nP1,1\nP2,2\nP1,3\n' | bad duplicate-id "data.csv:4:1: duplicate ID 'P1' (also row 2)"
printf 'ID,a,a\nP1,1,2\n' | bad duplicate-column "data.csv:1:3: duplicate column name 'a' (also column 2)"
printf 'ID,a\nP1,1\n,2\n' | bad missing-id "data.csv:3:1: missing ID"
printf 'ID,a\nP1,"1\n' | bad unterminated-quote \
    "data.csv:2: unterminated quoted field (a quote opened here is never closed)"
printf 'ID,a\nP1,1\000\n' | bad nul "data.csv:2:2: not a text file (NUL byte)"
printf 'ID,a\nP1,\377\n' | bad not-utf8 "data.csv:2:2: not valid UTF-8 text"

printf 'ID,,b\nP1,1,2\n' | bad empty-name "data.csv:1:2: column 2 has no name"
# a bad cell is quoted up to its first line break: messages are one line
printf 'ID,a\nP1,"x\ny"\n' | bad newline-cell \
    "data.csv:2:2: 'x' is not a number (column 'a'; declare it in string_cols to keep text)"

# R's write.csv leaves the row-name column unnamed; +Inf is a number; .TSV is tab-separated
d=$(newdir)
printf '"","a"\n"r1",+Inf\n"r2",2\n' >"$d/rnames.csv"
printf 'ID\tb\nr1\t3\n' >"$d/UPPER.TSV"
printf '# Data\n\n```lua\nlocal f = rg.read_csv("rnames.csv")\nprint(f:ids()[2], f:col("a")[1])\nprint(rg.read_csv("UPPER.TSV"):col("b")[1])\n```\n' >"$d/study.md"
expect data:rnames-inf-upper-tsv 0 "" at "$d" "$RGLIT" render study.md
got=$(outputs "$d/study.html")
want=$(printf 'r2\tinf\n3.0')
if [ "$got" = "$want" ]; then ok data:rnames-inf-upper-tsv-out; else
    fail data:rnames-inf-upper-tsv-out "printed [$got], want [$want]"; fi

d=$(newdir)
printf '# Data\n\n```lua\nlocal f = rg.read_csv("missing.csv")\n```\n' >"$d/study.md"
expect data:missing-file 3 "study.md:4: cannot open 'missing.csv': No such file or directory" \
    at "$d" "$RGLIT" render study.md

# provenance and notes
d=$(newdir)
printf 'ID,a,diagnostics_x\nP1,1,v\nP2,2,v\nP3,3,v\n' >"$d/a.csv"
printf 'ID,b\nP2,5\nP3,6\nP4,7\n' >"$d/b.csv"
printf '# Data\n\n```lua\nlocal a = rg.read_csv("a.csv")\nlocal b = rg.read_csv("b.csv")\nlocal x, y = rg.join(a, b)\n```\n' >"$d/study.md"
expect data:join 0 "" at "$d" "$RGLIT" render study.md
sha=$(sha256sum "$d/a.csv" | cut -d' ' -f1)
has data:input-row "$d/study.html" "<tr><td>a.csv</td><td>csv</td><td class=\"num\">40</td><td>3 &times; 1</td><td><code>$sha</code></td></tr>"
has data:meta-note "$d/study.html" "a.csv: 1 diagnostics_* columns kept apart as metadata (not features): diagnostics_x"
has data:join-note-a "$d/study.html" "rg.join: frame 1 lost 1 of 3 rows (IDs not in every frame): P1"
has data:join-note-b "$d/study.html" "rg.join: frame 2 lost 1 of 3 rows (IDs not in every frame): P4"
