/**
 * Observing containers: every host call a container makes is recorded (a ring in memory, and a trace file when
 * asked), can be read back per container, and a trace can be replayed against its module without touching the
 * host. The kernel feeds a {@link io.forgeone.api.observe.HostCallRecorder} when one is installed; faces (shell,
 * CLI, REST) read through {@link io.forgeone.api.observe.TraceService} and
 * {@link io.forgeone.api.observe.ReplayService}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.forgeone.api.observe;
