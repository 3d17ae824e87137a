#!/usr/bin/env bash
# tests/browser/run.sh — a report in a real browser (DESIGN.md, "The report"):
# headless Chromium opens it from a file: URL, and
#   - the DOM it dumps holds every <figure>, <svg> and <table> of the file
#     (and at least --min-figures / --min-tables of them), the same manifest
#     and a table of contents whose links resolve (tests/browser/check.py dom);
#   - its screenshots, at desktop (1200 px) and phone (400 px) width, are
#     valid PNGs and not blank (check.py png);
#   - it prints to a PDF of several pages (the print styles);
#   - its NetLog shows no request the page made for anything but file:,
#     data:, about: or chrome: (check.py netlog). Chromium's own requests
#     (component updater, accounts), which no flag silences and which start
#     from no origin, are left out. Every host name resolves to NOTFOUND, so
#     nothing leaves the machine either way.
# --self-test also shows that the last two checks can fail: a copy of the
# report with an external <img> must be caught, and so must a blank PNG.
#
# usage: tests/browser/run.sh [--min-figures N] [--min-tables N] [--name NAME]
#                             [--self-test] [STUDY.md | REPORT.html]
# The default is studies/demo/study.md, rendered with $RGLIT (build/rglit).
# Prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" lines (tests/run.sh)
# and keeps the screenshots as build/browser/NAME.png and NAME-phone.png.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
RGLIT=${RGLIT:-$root/build/rglit}
PY=/usr/bin/python3 # Debian's, standard library only
CHECK=$root/tests/browser/check.py

min_figures=0 min_tables=0 name="" self_test=0
while [ $# -gt 0 ]; do
    case "$1" in
    --min-figures) min_figures=$2; shift 2 ;;
    --min-tables) min_tables=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --self-test) self_test=1; shift ;;
    -*) echo "usage: $0 [--min-figures N] [--min-tables N] [--name NAME] [--self-test] [STUDY.md | REPORT.html]" >&2; exit 2 ;;
    *) break ;;
    esac
done
input=${1:-$root/studies/demo/study.md}
if [ -z "$name" ]; then
    case "$input" in
    */study.md | study.md) name=$(basename "$(cd "$(dirname "$input")" && pwd)") ;;
    *) name=$(basename "$input"); name=${name%.*} ;;
    esac
fi

chromium=$(command -v chromium) || { echo "skip browser: chromium not installed"; exit 0; }
[ -x "$PY" ] || { echo "skip browser: $PY not installed"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shots=$root/build/browser
mkdir -p "$shots" "$tmp/home"

# the report, always as $tmp/report.html (a plain file: URL)
case "$input" in
*.html)
    if ! cp "$input" "$tmp/report.html" 2>"$tmp/err"; then
        echo "FAIL browser_render:$name: $(cat "$tmp/err")"
        exit 0
    fi
    ;;
*)
    if ! "$RGLIT" render "$input" -o "$tmp/report.html" 2>"$tmp/err"; then
        echo "FAIL browser_render:$name: rglit render $input: $(cat "$tmp/err")"
        exit 0
    fi
    ;;
esac

# every figure's SVG, inline and downloaded, as XML
"$PY" "$CHECK" svgs "$tmp/report.html" "$name"

# browse TAG PAGE ARGS...: headless Chromium on PAGE (a file in $tmp), with a
# fresh profile and home; leaves $tmp/TAG.{out,err,rc,netlog}. One after the
# other: in parallel they took as long in all.
browse() {
    local tag=$1 page=$2
    shift 2
    (
        HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home XDG_CACHE_HOME=$tmp/home \
            timeout -k 5 60 "$chromium" --headless --no-sandbox --disable-gpu \
            --disable-background-networking --disable-component-update \
            --no-first-run --disable-default-apps --disable-sync \
            --metrics-recording-only --disable-extensions \
            --disable-features=NetworkTimeServiceQuerying \
            --host-resolver-rules="MAP * ~NOTFOUND" \
            --user-data-dir="$tmp/$tag.profile" --log-net-log="$tmp/$tag.netlog" \
            "$@" "file://$tmp/$page" >"$tmp/$tag.out" 2>"$tmp/$tag.err"
        echo $? >"$tmp/$tag.rc"
    )
}

# Chromium's start-up is most of the time: one run dumps the DOM and takes the
# desktop screenshot
browse desktop report.html --dump-dom --screenshot="$tmp/desktop.png" --window-size=1200,3000
browse phone report.html --screenshot="$tmp/phone.png" --window-size=400,3000
browse print report.html --print-to-pdf="$tmp/report.pdf" --no-pdf-header-footer
if [ $self_test = 1 ]; then
    sed 's|<body[^>]*>|&<p><img src="http://example.invalid/x.png" alt=""></p>|' \
        "$tmp/report.html" >"$tmp/tampered.html"
    browse tampered tampered.html --dump-dom
fi

# ran TAG TEST: Chromium exited 0 on TAG; else prints a FAIL line for TEST
ran() {
    local rc
    rc=$(cat "$tmp/$1.rc" 2>/dev/null || echo "?")
    [ "$rc" = 0 ] && return 0
    [ "$rc" = 124 ] && rc="124 (timed out after 60 s)"
    echo "FAIL $2: chromium ($1) exited $rc: $(grep -v -e dbus -e 'unexpected operator' "$tmp/$1.err" | tail -3)"
    return 1
}

# (1) the DOM
if ran desktop "browser_dom:$name"; then
    "$PY" "$CHECK" dom "$tmp/report.html" "$tmp/desktop.out" "$name" "$min_figures" "$min_tables"
fi

# (2) the screenshots
for tag in desktop phone; do
    if [ $tag = desktop ]; then
        test=browser_screenshot:$name keep=$shots/$name.png
    else
        test=browser_screenshot_phone:$name keep=$shots/$name-phone.png
    fi
    ran $tag "$test" || continue
    cp "$tmp/$tag.png" "$keep" 2>/dev/null
    if why=$("$PY" "$CHECK" png "$tmp/$tag.png"); then
        echo "ok $test"
    else
        echo "FAIL $test: $why"
    fi
done

# (3) printing (the print styles): a PDF of several pages
if ran print "browser_print:$name"; then
    pages=$(grep -ao '/Type */Pages*' "$tmp/report.pdf" 2>/dev/null | grep -cv 'Pages$')
    if head -c 5 "$tmp/report.pdf" 2>/dev/null | grep -q '^%PDF-' && [ "${pages:-0}" -ge 2 ]; then
        echo "ok browser_print:$name"
        cp "$tmp/report.pdf" "$shots/$name.pdf" 2>/dev/null
    else
        echo "FAIL browser_print:$name: no PDF of 2 pages or more (pages: ${pages:-none})"
    fi
fi

# (4) the network, in every run on the report
why=""
for tag in desktop phone print; do
    [ -s "$tmp/$tag.netlog" ] || { why="$why $tag: no NetLog written;"; continue; }
    out=$("$PY" "$CHECK" netlog "$tmp/$tag.netlog") || why="$why $tag: $(printf "%s" "$out" | tr "\n" " ");"
done
if [ -z "$why" ]; then echo "ok browser_no_network:$name"; else echo "FAIL browser_no_network:$name:$why"; fi

# self-tests: the checks can fail
if [ $self_test = 1 ]; then
    if ! grep -q 'example\.invalid' "$tmp/tampered.html"; then
        echo "FAIL browser_netlog_detects_request: could not insert an <img> after <body>"
    elif ran tampered browser_netlog_detects_request; then
        if out=$("$PY" "$CHECK" netlog "$tmp/tampered.netlog"); then
            echo "FAIL browser_netlog_detects_request: an external <img> went unnoticed: $out"
        elif printf '%s\n' "$out" | grep -q 'http://example\.invalid/x\.png'; then
            echo "ok browser_netlog_detects_request"
        else
            echo "FAIL browser_netlog_detects_request: flagged, but not the <img>: $out"
        fi
    fi
    "$PY" "$CHECK" blank-png "$tmp/blank.png"
    if out=$("$PY" "$CHECK" png "$tmp/blank.png"); then
        echo "FAIL browser_png_detects_blank: a blank PNG passed: $out"
    else
        echo "ok browser_png_detects_blank"
    fi
fi
exit 0
