#!/bin/sh
# Install the Debian packages listed in vendor/debian-packages.txt (or in the
# list file given as the argument) that are missing. Idempotent: prints
# nothing when every package is present.
# Called by `make demo` and `make test` before they build (make test also with
# vendor/test-packages.txt), and by tests/bench/run.sh with
# vendor/bench-packages.txt.
set -eu
here=$(dirname "$0")
list="${1:-$here/debian-packages.txt}"

missing=""
for pkg in $(sed -e 's/#.*//' "$list"); do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=sudo
    else
        echo "install-deps: not root; install them with:" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# apt-get install can fail on a stale package list: update once and retry.
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
echo "install-deps: installed$missing" >&2
