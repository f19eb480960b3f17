# SPDX-License-Identifier: GPL-3.0-or-later
# Top-level driver: `make run` and `make test` do everything on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DATASET    ?= datasets/asean-japan
CMAKE_ARGS ?=
# `make install PREFIX=/opt/cym DESTDIR=/tmp/stage` puts the files in /tmp/stage/opt/cym, to be
# used from /opt/cym (cymetrics.pc names PREFIX, not DESTDIR)
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: all deps build run test asan bench format clean install uninstall

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cymetrics run $(DATASET)

# the report's rendering test needs Chromium, the spreadsheet test Gnumeric (installed here when
# missing; each test is skipped without its tool)
test: build
	@scripts/install-deps.sh --chromium --spreadsheet
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCYM_SANITIZE=ON -DCYM_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# the library (shared and static), its headers, the CLI and cymetrics.pc (docs/architecture.md)
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# removes exactly the files the last install wrote, as CMake listed them in
# install_manifest.txt (without the DESTDIR: give the same DESTDIR as to the install)
uninstall:
	@test -f $(BUILD)/install_manifest.txt || { echo "uninstall: nothing installed from $(BUILD)" >&2; exit 1; }
	@while IFS= read -r f || [ -n "$$f" ]; do rm -fv "$(DESTDIR)$$f"; done < $(BUILD)/install_manifest.txt

bench: build
	bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
