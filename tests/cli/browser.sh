# tests/cli/browser.sh — the report in headless Chromium (tests/browser/run.sh):
# the demo study, with the self-tests that show the network and screenshot
# checks can fail (the demo has one figure of every kind), and
# tests/lua/plot.md. The minimums are what the two reports hold now, so a
# report that loses a table or a figure fails.
# Skipped without Chromium (vendor/test-packages.txt; make test installs it).
. "$(dirname "$0")/lib.sh"
if ! command -v chromium >/dev/null 2>&1; then
    echo "skip browser: chromium not installed"
    exit 0
fi
bash "$ROOT/tests/browser/run.sh" --self-test --min-figures 13 --min-tables 5 "$ROOT/studies/demo/study.md"
bash "$ROOT/tests/browser/run.sh" --min-figures 2 --min-tables 1 "$ROOT/tests/lua/plot.md"
