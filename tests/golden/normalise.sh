#!/usr/bin/env bash
# tests/golden/normalise.sh RGLIT < report.html — replaces the build's git
# commit (which changes with every commit) by COMMIT, so golden reports
# compare everything else byte for byte.
commit=$("$1" --version | sed -n '1s/.*(commit \([^,]*\),.*/\1/p')
if [ -n "$commit" ]; then sed "s/$commit/COMMIT/g"; else cat; fi
