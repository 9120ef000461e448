#!/bin/sh
# Rebuilds every WebAssembly module from its C source into a temporary directory and compares the
# bytes with the committed src/native/NAME.wasm.ts and NAME-fma.wasm.ts (opt-in: needs Debian's
# clang and lld, and clang-16 and lld-16 for the relaxed-SIMD variants; build.sh).
#
#   npm run check:native
set -eu
cd "$(dirname "$0")"
command -v clang >/dev/null || { echo "check:native: clang is not installed (Debian: apt-get install clang lld)" >&2; exit 2; }
command -v "${FMA_CLANG:-clang-16}" >/dev/null || { echo "check:native: ${FMA_CLANG:-clang-16} is not installed (Debian: apt-get install clang-16 lld-16)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
OUT="$tmp" sh build.sh >/dev/null
status=0
for built in "$tmp"/*.wasm.ts; do
  file="$(basename "$built")"
  if cmp -s "$built" "$file"; then
    echo "src/native/$file: rebuilt bytes are identical"
  else
    echo "src/native/$file: rebuilt from its C source it differs (rebuild with npm run build:native and commit)" >&2
    status=1
  fi
done
exit $status
