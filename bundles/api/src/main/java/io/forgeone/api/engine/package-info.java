/**
 * WebAssembly engine contract: compile a module, instantiate it with engine-neutral host functions under limits, call its exports and view its linear memory. Engines know nothing of policy.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.forgeone.api.engine;
