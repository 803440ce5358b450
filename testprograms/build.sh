#!/usr/bin/env bash
# Rebuilds every test WebAssembly program in testprograms/wasm/ from
# testprograms/src/. The built .wasm files are committed, so the Maven build
# never needs this script or clang; run it only after changing a source.
#
#   ./build.sh           rebuild wasm/*.wasm in place
#   ./build.sh --check   build into a temporary directory and fail if any
#                        committed wasm/*.wasm differs from a fresh build
#
# Needs (Debian/Ubuntu):
#   apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 wabt
# The committed binaries were built with Debian 12's clang 14.0.6,
# wasi-libc 0.0~git20220510.9886d3d-2 and wabt 1.0.32; other versions build
# working but not byte-identical programs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

APT_HINT="install the toolchain with: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32 wabt"

die() {
    echo "build.sh: error: $*" >&2
    exit 1
}

mode=build
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (use --check or nothing)" ;;
esac

CLANG="${CLANG:-clang}"
WAT2WASM="${WAT2WASM:-wat2wasm}"
command -v "$CLANG" >/dev/null 2>&1 || die "'$CLANG' not found; $APT_HINT"
command -v "$WAT2WASM" >/dev/null 2>&1 || die "'$WAT2WASM' not found; $APT_HINT"

# Deterministic flags: fixed target and optimisation level, no debug info,
# all custom sections (names, producers) stripped, relative source paths.
CFLAGS=(--target=wasm32-wasi -O2 -std=gnu11 -Wall -Wextra -Werror -g0)
LDFLAGS=(-Wl,--strip-all)

# Per-program extra link flags.
extra_ldflags() {
    case "$1" in
        # Shadow stack at the start of memory: if it ever overflowed it would
        # trap out-of-bounds instead of silently overwriting static data.
        stackoverflow) echo "-Wl,--stack-first" ;;
        *) echo "" ;;
    esac
}

C_PROGRAMS=(hello cat loop trap membomb escape exitcode flood listdir stat clockrand writefile stackoverflow divzero openmany ticker service kv http counter rwfile prebuilt)
WAT_PROGRAMS=(noentry badimport gatecheck readdirfd metriccalls)

out="$here/wasm"
if [[ $mode == check ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

# Fail early and clearly if clang cannot link for wasm32-wasi (wasi-libc
# or the wasm32 compiler-rt builtins missing).
probe_dir="$(mktemp -d)"
printf 'int main(void){return 0;}\n' > "$probe_dir/probe.c"
if ! "$CLANG" "${CFLAGS[@]}" "$probe_dir/probe.c" -o "$probe_dir/probe.wasm" "${LDFLAGS[@]}" 2> "$probe_dir/err"; then
    cat "$probe_dir/err" >&2
    rm -rf "$probe_dir"
    die "'$CLANG --target=wasm32-wasi' cannot build a program (wasi-libc or libclang-rt-dev-wasm32 missing?); $APT_HINT"
fi
rm -rf "$probe_dir"

for p in "${C_PROGRAMS[@]}"; do
    # shellcheck disable=SC2046
    "$CLANG" "${CFLAGS[@]}" "src/$p.c" -o "$out/$p.wasm" "${LDFLAGS[@]}" $(extra_ldflags "$p") \
        || die "compiling src/$p.c failed"
done

for p in "${WAT_PROGRAMS[@]}"; do
    "$WAT2WASM" "src/$p.wat" -o "$out/$p.wasm" || die "assembling src/$p.wat failed"
done

# Not a module at all: a host must reject it when decoding.
printf 'this is not webassembly\n' > "$out/notwasm.wasm"

chmod 0644 "$out"/*.wasm

if [[ $mode == check ]]; then
    status=0
    for f in "$out"/*.wasm; do
        name="$(basename "$f")"
        if [[ ! -f "wasm/$name" ]]; then
            echo "build.sh: wasm/$name is missing" >&2
            status=1
        elif ! cmp -s "$f" "wasm/$name"; then
            echo "build.sh: wasm/$name differs from a fresh build of its source" >&2
            status=1
        fi
    done
    for f in wasm/*.wasm; do
        # conf_*.wasm come from conformance/build.sh, which checks them itself
        [[ $(basename "$f") == conf_* ]] && continue
        [[ -f "$out/$(basename "$f")" ]] || { echo "build.sh: $f has no source" >&2; status=1; }
    done
    [[ $status == 0 ]] && echo "build.sh: all $(ls "$out" | wc -l) programs match their sources"
    exit $status
fi

echo "build.sh: built $(ls "$out"/*.wasm | wc -l) programs in wasm/:"
ls -l "$out"/*.wasm | awk '{printf "  %8d  %s\n", $5, $NF}' | sed "s|$out/||"
