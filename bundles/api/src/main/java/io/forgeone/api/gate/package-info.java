/**
 * The host-call gate: the single decide-and-record path every host function call takes, whatever engine runs it and whoever provides the function.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.forgeone.api.gate;
