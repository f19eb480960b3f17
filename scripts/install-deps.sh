#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages cymetrics needs, and only those that are missing.
# Usage: scripts/install-deps.sh [--dev] [--fuzz] [--valgrind] [--mpi] [--chromium] [--spreadsheet]
#   --dev adds R and SciPy (used to recompute test values) and Graphviz (scripts/layer-graph.sh
#   renders docs/architecture-layers.svg), --fuzz clang with its libFuzzer and
#   sanitizer runtimes and OpenMP (tests/fuzz), --valgrind valgrind (tests/golden/valgrind.sh),
#   --mpi Open MPI (the build with -DCYM_MPI=ON, docs/scale.md),
#   --chromium headless Chromium, which renders report.html in a test (`make test` asks for it;
#   without it that test is skipped), --spreadsheet Gnumeric (about 45 MB), whose ssconvert
#   opens the output CSVs in a test (tests/cli/spreadsheet_checks.sh; skipped without it),
#   and openpyxl and LibreOffice Calc (headless), which fill in and save the data collection
#   forms in the round trip (tests/cli/forms_checks.sh; skipped without them)
set -eu

PKGS="cmake make gcc pkg-config libgsl-dev libcsv-dev libplplot-dev plplot-driver-cairo \
libcmocka-dev libinih-dev nettle-dev libjansson-dev fonts-dejavu-core libfreetype-dev \
libfontconfig-dev libpng-dev libcairo2-dev libdeflate-dev libsqlite3-dev fonts-noto-core \
fonts-noto-cjk libxlsxwriter-dev libzip-dev libexpat1-dev unzip python3 poppler-utils"
for arg in "$@"; do
    case $arg in
    --dev) PKGS="$PKGS r-base-core python3-scipy graphviz" ;;
    --fuzz) PKGS="$PKGS clang libclang-rt-dev libomp-dev" ;;
    --valgrind) PKGS="$PKGS valgrind" ;;
    --mpi) PKGS="$PKGS libopenmpi-dev openmpi-bin" ;;
    --chromium) PKGS="$PKGS chromium" ;;
    --spreadsheet) PKGS="$PKGS gnumeric python3-openpyxl libreoffice-calc-nogui" ;;
    *)
        echo "install-deps: unknown option '$arg'" \
            "(--dev, --fuzz, --valgrind, --mpi, --chromium, --spreadsheet)" >&2
        exit 2
        ;;
    esac
done

missing=""
for p in $PKGS; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: these Debian packages are missing:$missing" >&2
    echo "install-deps: run as root: apt-get install --no-install-recommends$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A stale package list makes apt fail to find current versions: refresh it first.
$SUDO apt-get update -qq || { echo "install-deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing || {
    echo "install-deps: apt-get install failed for:$missing" >&2
    exit 1
}
