package io.forgeone.observer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ForgeOne observer", description = "Host-call recording and traces (PID io.forgeone.observer)")
public @interface ObserverConfig {

    @AttributeDefinition(description = "Calls kept in memory per container run (the latest; rounded up to a power of two)")
    int ring_calls() default 1024;

    @AttributeDefinition(description = "Bytes of guest memory reads and writes kept in memory per container run (rounded "
            + "up to a power of two); a call that moves more than half of it is kept without its bytes")
    int ring_bytes() default 262144;

    @AttributeDefinition(description = "Container names (globs: * and ?) whose runs are also written to trace files; "
            + "* for every container, empty for none")
    String[] durable() default {};

    @AttributeDefinition(description = "Container names (globs: * and ?) whose runs keep their complete history of host "
            + "calls (results and bytes written, compactly, in a file per run deleted when the run ends), so that they "
            + "can be snapshotted at any call however long they have run; empty for none")
    String[] history() default {"*"};

    @AttributeDefinition(description = "The most one run's history may hold, in MiB; past it the run can no longer be "
            + "snapshotted (unless it is durable and its trace files keep every call)")
    int history_max_mib() default 256;

    @AttributeDefinition(description = "Folder of the runs' history files; empty: history/ in the node's state folder "
            + "(forge.var)")
    String history_dir() default "";

    @AttributeDefinition(description = "Folder of trace files; empty: traces/ in the node's state folder (forge.var)")
    String trace_dir() default "";

    @AttributeDefinition(description = "Size of one trace file before the next one starts, in MiB")
    int file_max_mib() default 64;

    @AttributeDefinition(description = "Trace files kept per run; older ones are deleted")
    int files_kept() default 8;

    @AttributeDefinition(description = "How often trace writes are flushed to the files, in ms")
    long flush_ms() default 200;

    @AttributeDefinition(description = "Ended runs whose calls stay in memory for forge:trace (their files stay on disk)")
    int runs_kept() default 16;

    @AttributeDefinition(description = "Resolution of the calls' times, in microseconds: a clock thread ticks this often,"
            + " so that a call costs one memory read instead of a System.nanoTime() call")
    long clock_tick_us() default 1000;

    @AttributeDefinition(description = "Stamp every call with System.nanoTime() instead of the tick (exact, but 25-40 ns"
            + " more per call where the clock is virtualised)")
    boolean precise_time() default false;

    @AttributeDefinition(description = "Longest a replay may run before it is stopped, in seconds")
    long replay_timeout_s() default 60;

    @AttributeDefinition(description = "Folder of snapshot files; empty: snapshots/ in the node's state folder (forge.var)")
    String snapshot_dir() default "";

    @AttributeDefinition(description = "Longest a restore may take to re-execute up to the snapshot's call, in seconds")
    long restore_timeout_s() default 600;
}
