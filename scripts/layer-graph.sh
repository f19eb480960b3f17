#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The picture of docs/architecture.md, from the build: configuring writes the module graph of
# the cym_module() link lines to BUILD/layers/architecture-layers.dot
# (cmake/CymLayerGraph.cmake); this copies it to docs/architecture-layers.dot and renders
# docs/architecture-layers.svg with Graphviz's dot when it is installed (scripts/install-deps.sh
# --dev).
#
# Usage: scripts/layer-graph.sh [BUILD_DIR]          configure BUILD_DIR [build], update docs/
#        scripts/layer-graph.sh --check GENERATED_DOT   (the test docs.layer_graph) exit 1 when
#            docs/architecture-layers.dot differs from GENERATED_DOT, or the committed SVG
#            does not draw the same modules, libraries and arrows
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
DOT_FILE=$SRC/docs/architecture-layers.dot
SVG_FILE=$SRC/docs/architecture-layers.svg

# The arrows and nodes of a dot file or of the SVG Graphviz drew from it, one per line, sorted:
# in the SVG each node and edge is a <g> whose <title> is its name ("a&#45;&gt;b" for a -> b).
dot_items() {
    sed -n 's/^ *"\([^"]*\)" -> "\([^"]*\)".*/\1->\2/p; s/^ *"\([^"]*\)"[ ;[].*/\1/p' "$1" | sort -u
}
svg_items() {
    sed -n 's/.*<title>\(.*\)<\/title>.*/\1/p' "$1" | sed 's/&#45;/-/g; s/&gt;/>/g' |
        grep -v '^cymetrics_layers$' | sort -u
}

if [ "${1:-}" = "--check" ]; then
    generated=${2:?usage: layer-graph.sh --check GENERATED_DOT}
    if ! diff -u "$DOT_FILE" "$generated"; then
        echo "layer-graph: docs/architecture-layers.dot is not the graph of the current" \
            "CMakeLists.txt (above: - committed, + the build's); run scripts/layer-graph.sh" >&2
        exit 1
    fi
    if [ -f "$SVG_FILE" ]; then
        T=$(mktemp -d)
        trap 'rm -rf "$T"' EXIT
        dot_items "$DOT_FILE" >"$T/dot"
        svg_items "$SVG_FILE" >"$T/svg"
        if ! diff -u "$T/dot" "$T/svg"; then
            echo "layer-graph: docs/architecture-layers.svg does not draw" \
                "docs/architecture-layers.dot (above: - the .dot, + the SVG); run" \
                "scripts/layer-graph.sh with Graphviz installed" >&2
            exit 1
        fi
    fi
    exit 0
fi

BUILD=${1:-$SRC/build}
cmake -S "$SRC" -B "$BUILD" >/dev/null
cp "$BUILD/layers/architecture-layers.dot" "$DOT_FILE"
echo "layer-graph: wrote docs/architecture-layers.dot"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$DOT_FILE" -o "$SVG_FILE"
    echo "layer-graph: wrote docs/architecture-layers.svg"
else
    echo "layer-graph: Graphviz's dot is not installed (scripts/install-deps.sh --dev):" \
        "docs/architecture-layers.svg not rendered" >&2
fi
