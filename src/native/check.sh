#!/bin/sh
# Rebuilds every WebAssembly module from its C source into a temporary directory and compares the
# bytes with the committed src/native/NAME.wasm.ts (opt-in: needs Debian's clang and lld).
#
#   npm run check:native
set -eu
cd "$(dirname "$0")"
command -v clang >/dev/null || { echo "check:native: clang is not installed (Debian: apt-get install clang lld)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
OUT="$tmp" sh build.sh >/dev/null
status=0
for src in *.c; do
  name="${src%.c}"
  if cmp -s "$tmp/$name.wasm.ts" "$name.wasm.ts"; then
    echo "src/native/$name.wasm.ts: rebuilt bytes are identical"
  else
    echo "src/native/$name.wasm.ts: rebuilt from $src it differs (rebuild with npm run build:native and commit)" >&2
    status=1
  fi
done
exit $status
