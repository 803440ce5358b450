#!/usr/bin/env bash
# Rebuilds the WASI preview1 conformance programs from testprograms/conformance/ into
# testprograms/wasm/conf_*.wasm (where the integration tests pick them up). The built modules are
# committed, so the Maven build never needs this script or the compilers.
#
#   ./build.sh           rebuild in place
#   ./build.sh --check   build into a temporary directory and fail if a committed module differs
#
# Needs (Debian 12):
#   apt-get install clang lld wasi-libc libclang-rt-dev-wasm32     # the C programs
#   apt-get install rustc libstd-rust-dev-wasm32                   # the Rust program (rustc 1.63)
#   npm (Node 20) for the AssemblyScript program: assemblyscript 0.27.37 and @assemblyscript/wasi-shim
#   0.1.0 are installed from the npm registry into assemblyscript/node_modules on first use
# Debian's /usr/bin/rustc is used on purpose: a rustup toolchain on PATH has no wasm32-wasi std here.
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
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (use --check or nothing)" ;;
esac

CLANG="${CLANG:-clang}"
RUSTC="${RUSTC:-/usr/bin/rustc}"
command -v "$CLANG" >/dev/null 2>&1 || die "'$CLANG' not found: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32"
[[ -x "$RUSTC" ]] || die "'$RUSTC' not found: apt-get install rustc libstd-rust-dev-wasm32"

CFLAGS=(--target=wasm32-wasi -O2 -std=gnu11 -Wall -Wextra -Werror -g0)
LDFLAGS=(-Wl,--strip-all)
RUSTFLAGS=(--edition 2021 --target wasm32-wasi -C opt-level=2 -C strip=symbols -C codegen-units=1)

C_PROGRAMS=(conf_paths conf_files conf_readdir conf_proc)
RUST_PROGRAMS=(conf_rust_std)
AS_PROGRAMS=(conf_as)

out="$here/../wasm"
if [[ $mode == check ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi

for p in "${C_PROGRAMS[@]}"; do
    "$CLANG" "${CFLAGS[@]}" "src/$p.c" -o "$out/$p.wasm" "${LDFLAGS[@]}" || die "compiling src/$p.c failed"
done
for p in "${RUST_PROGRAMS[@]}"; do
    "$RUSTC" "${RUSTFLAGS[@]}" "rust/$p.rs" -o "$out/$p.wasm" || die "compiling rust/$p.rs failed"
done
command -v npm >/dev/null 2>&1 || die "'npm' not found: apt-get install nodejs npm"
if [[ ! -x assemblyscript/node_modules/.bin/asc ]]; then
    (cd assemblyscript && npm install --no-audit --no-fund --no-save >/dev/null) || die "npm install in assemblyscript/ failed"
fi
for p in "${AS_PROGRAMS[@]}"; do
    (cd assemblyscript && node_modules/.bin/asc "$p.ts" --config node_modules/@assemblyscript/wasi-shim/asconfig.json \
        -O2 --noAssert -o "$out/$p.wasm") || die "compiling assemblyscript/$p.ts failed"
done
chmod 0644 "$out"/conf_*.wasm

if [[ $mode == check ]]; then
    status=0
    for p in "${C_PROGRAMS[@]}" "${RUST_PROGRAMS[@]}" "${AS_PROGRAMS[@]}"; do
        cmp -s "$out/$p.wasm" "../wasm/$p.wasm" || { echo "build.sh: wasm/$p.wasm differs from a fresh build" >&2; status=1; }
    done
    [[ $status == 0 ]] && echo "build.sh: all conformance programs match their sources"
    exit $status
fi
echo "build.sh: built $(( ${#C_PROGRAMS[@]} + ${#RUST_PROGRAMS[@]} + ${#AS_PROGRAMS[@]} )) programs into testprograms/wasm/"
