#!/bin/sh
# Rebuilds the test modules in ../resources from the WAT sources here. Needs wat2wasm (wabt, 1.0.32 was used).
# The .wasm files are committed so the Maven build does not need wabt; run this after changing a .wat.
set -eu
cd "$(dirname "$0")"
out=../resources
mkdir -p "$out"

for wat in *.wat; do
    case "$wat" in
        # deliberately invalid modules: assemble without validating
        invalid_*) wat2wasm --no-check --output="$out/${wat%.wat}.wasm" "$wat" ;;
        *) wat2wasm --output="$out/${wat%.wat}.wasm" "$wat" ;;
    esac
done

# huge_function.wasm: one function of 10000 calls, too large for one JVM method (64 KiB of bytecode), so Chicory's
# compiler rejects the module and the engine must fall back to the interpreter. "huge" returns the number of calls
# made (10000). Generated rather than written out, as the WAT would be 10000 identical lines.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
    echo '(module'
    echo '  (global $count (mut i32) (i32.const 0))'
    echo '  (func $tick (global.set $count (i32.add (global.get $count) (i32.const 1))))'
    echo '  (func (export "huge") (result i32)'
    i=0
    while [ $i -lt 10000 ]; do echo '    call $tick'; i=$((i + 1)); done
    echo '    global.get $count))'
} > "$tmp"
wat2wasm --output="$out/huge_function.wasm" "$tmp"
