#!/usr/bin/env bash
# OpenSSL interoperability of the crypto bundle, for CI: Ed25519 and ECDSA P-256 keys and signatures made by the
# openssl binary must verify in ForgeOne and the other way round (OpenSslInteropTest). Unlike a plain 'mvn test',
# where that test is skipped when openssl is absent, here a missing openssl or a skipped test is a failure.
# Usage: bundles/crypto/src/test/sh/openssl-interop.sh   (from anywhere; needs the reactor installed once, or -o off)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../../.." && pwd)"
if ! command -v openssl >/dev/null 2>&1; then
  echo "openssl-interop: openssl is not installed (apt-get install -y openssl)" >&2
  exit 1
fi
echo "openssl-interop: $(openssl version)"
cd "$root"
mvn -B -q ${MVN_OFFLINE:-} test -pl bundles/crypto -Dtest=OpenSslInteropTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dforge.openssl.required=true
report="bundles/crypto/target/surefire-reports/TEST-io.forgeone.crypto.internal.OpenSslInteropTest.xml"
tests=$(grep -o 'tests="[0-9]*"' "$report" | head -1 | tr -dc 0-9)
skipped=$(grep -o 'skipped="[0-9]*"' "$report" | head -1 | tr -dc 0-9)
failures=$(grep -o 'failures="[0-9]*"' "$report" | head -1 | tr -dc 0-9)
errors=$(grep -o 'errors="[0-9]*"' "$report" | head -1 | tr -dc 0-9)
if [ "${tests:-0}" -eq 0 ] || [ "${skipped:-0}" -ne 0 ] || [ "${failures:-0}" -ne 0 ] || [ "${errors:-0}" -ne 0 ]; then
  echo "openssl-interop: tests=$tests skipped=$skipped failures=$failures errors=$errors" >&2
  exit 1
fi
echo "openssl-interop: $tests passed, 0 failed"
