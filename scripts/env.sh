# Sourced by the scripts: puts the project's tools first on PATH.
# wasm-opt comes from npm's binaryen@132 (Debian's wasm-opt 108 silently breaks release builds).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
