#!/bin/sh
# Rebuilds the test modules in ../resources from the WAT sources here. Needs wat2wasm (wabt, 1.0.32 was used).
# The .wasm files are committed so the Maven build does not need wabt; run this after changing a .wat.
# Most modules are the Chicory engine's (bundles/engine-chicory/src/test/wat), so both engines pass the same cases.
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
