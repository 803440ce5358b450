/**
 * Signed packages ({@code .forgepkg}): the manifest, building and signing, verification against the node's trust
 * store, and the content-addressed store of verified packages.
 *
 * <h2>Format 1</h2>
 * A package is a zip (no ZIP64, no comment, no encryption, entries stored or deflated) holding:
 * <ul>
 * <li>{@code forge.json}, the manifest, in canonical JSON (below), for example (wrapped here)
 * <pre>
 * {"capabilities":["wasi:stdout"],"created":"2026-01-31T12:00:00Z","entries":{"hello.wasm":{"sha256":"9f8…","size":1234}},
 *  "entrypoint":"hello.wasm","expires":"2027-01-31T12:00:00Z","format":1,"limits":{"memoryPages":256,"timeoutMs":30000},
 *  "name":"hello","publisher":{"keys":["5c1…"],"name":"acme"},"version":"1.0.0"}
 * </pre>
 * Every field is required except {@code run} (optional, since 1.1.0: {@code {"engine":"wasmtime","onDeploy":true,
 * "rollover":false,"snapshot":"init.fsnap"}}, where {@code engine} and {@code snapshot} may be left out and the two
 * booleans are always written), and no other is allowed; times are RFC 3339; key ids are lowercase hex SHA-256 of the
 * key's SubjectPublicKeyInfo DER.</li>
 * <li>every entry the manifest pins, by SHA-256 and size;</li>
 * <li>detached signatures {@code signatures/<keyid>.<scheme>.sig}, each over the bytes of {@code forge.json}
 * exactly as stored (Ed25519 raw 64 bytes, ECDSA P-256 DER over SHA-256, ML-DSA-65 and SLH-DSA raw), so that
 * {@code openssl pkeyutl -verify -rawin -in forge.json ...} or {@code openssl dgst -sha256 -verify ...} checks
 * them too.</li>
 * </ul>
 * Nothing else: an entry that is not the manifest, a pinned entry or a signature is refused, as are duplicate
 * names (also when they differ only in case), absolute names, {@code ..} and {@code .} segments, backslashes,
 * colons (drive letters), control characters and directory entries.
 *
 * <p><b>Canonical JSON</b> is the integer subset of RFC 8785 (JCS): UTF-8 without a byte order mark, object members
 * sorted by key in UTF-16 code unit order, no whitespace outside strings, strings escaped only where JSON requires
 * ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control characters as lowercase {@code \\u00xx}),
 * numbers only as integers within ±(2^53-1) in plain decimal, no duplicate keys. A manifest whose bytes are not
 * exactly the canonical form of what they parse to is refused.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.forgeone.api.pkg;
