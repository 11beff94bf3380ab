#!/usr/bin/env bash
# Regenerates the committed parser (src/parser.c, src/grammar.json, src/node-types.json,
# src/tree_sitter/*.h) from grammar.js with the pinned tree-sitter CLI, and records
# which grammar.js it was made from (src/grammar.js.fnv, checked by `cargo test`).
#
#   CARGO_INSTALL_ROOT=/somewhere cargo install tree-sitter-cli --locked \
#       --version 0.26.13 --no-default-features   # then put /somewhere/bin on PATH
#   ./regenerate.sh
#
# Without its default `qjs-rt` feature the CLI evaluates grammar.js with Node.js (node
# must be on PATH); the feature needs libclang to build.
set -euo pipefail
cd "$(dirname "$0")"

PINNED=0.26.13
TS=${TREE_SITTER:-tree-sitter}
version=$("$TS" --version | awk '{print $2}')
if [ "$version" != "$PINNED" ]; then
  echo "tree-sitter $PINNED is pinned, found $version ($TS)" >&2
  exit 2
fi
"$TS" generate
# FNV-1a 64 of grammar.js, carriage returns left out (a Windows checkout is the same file).
node -e '
let h = 0xcbf29ce484222325n;
for (const b of require("fs").readFileSync("grammar.js")) {
  if (b === 13) continue;
  h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
}
console.log(h.toString(16).padStart(16, "0"));
' > src/grammar.js.fnv
echo "regenerated src/ from grammar.js ($(cat src/grammar.js.fnv))"
