#!/usr/bin/env bash
# Rebuilds the benchmark WebAssembly programs in this folder from their sources. The built .wasm files are
# committed next to the sources, so the Maven build never needs this script or clang; run it only after
# changing a source.
#
#   ./build.sh           rebuild *.wasm in place
#   ./build.sh --check   build into a temporary directory and fail if a committed .wasm differs
#
# Needs (Debian/Ubuntu): apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 wabt
# The committed binaries were built with Debian 12's clang 14.0.6, wasi-libc 0.0~git20220510.9886d3d-2 and
# wabt 1.0.32, as testprograms/ are.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

die() {
    echo "build.sh: error: $*" >&2
    exit 1
}

mode=build
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (use --check or nothing)" ;;
esac

CLANG="${CLANG:-clang}"
WAT2WASM="${WAT2WASM:-wat2wasm}"
hint="install the toolchain with: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 wabt"
command -v "$CLANG" >/dev/null 2>&1 || die "'$CLANG' not found; $hint"
command -v "$WAT2WASM" >/dev/null 2>&1 || die "'$WAT2WASM' not found; $hint"

# The flags the issue asks for (--target=wasm32-wasi -O2), plus determinism: no debug info, custom sections
# stripped, relative source paths.
CFLAGS=(--target=wasm32-wasi -O2 -std=gnu11 -Wall -Wextra -Werror -g0)
LDFLAGS=(-Wl,--strip-all)
# fib and sieve are libraries of one exported function each (no _start, no WASI imports): the compute
# benchmarks call the export directly, so only the engine is measured.
LIBRARY_LDFLAGS=(-nostartfiles -Wl,--no-entry)

out="$here"
if [[ $mode == check ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi

for p in fib sieve; do
    "$CLANG" "${CFLAGS[@]}" "$p.c" -o "$out/$p.wasm" "${LDFLAGS[@]}" "${LIBRARY_LDFLAGS[@]}" || die "compiling $p.c failed"
done
for p in fileio; do
    "$CLANG" "${CFLAGS[@]}" "$p.c" -o "$out/$p.wasm" "${LDFLAGS[@]}" || die "compiling $p.c failed"
done
for p in hostcall clockloop; do
    "$WAT2WASM" "$p.wat" -o "$out/$p.wasm" || die "assembling $p.wat failed"
done
chmod 0644 "$out"/*.wasm

if [[ $mode == check ]]; then
    status=0
    for f in "$out"/*.wasm; do
        name="$(basename "$f")"
        if ! cmp -s "$f" "$here/$name"; then
            echo "build.sh: $name differs from a fresh build of its source (or is missing)" >&2
            status=1
        fi
    done
    [[ $status == 0 ]] && echo "build.sh: all $(ls "$out"/*.wasm | wc -l) programs match their sources"
    exit $status
fi
echo "build.sh: built $(ls "$out"/*.wasm | wc -l) programs:"
ls -l "$out"/*.wasm | awk '{printf "  %8d  %s\n", $5, $NF}' | sed "s|$out/||"
