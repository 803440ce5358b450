package io.forgeone.cli.internal;

import io.forgeone.api.container.ContainerException;
import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A runtime that plays back one scripted container: what the guest writes and how it stops. */
class FakeRuntime implements ContainerRuntime {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch killed = new CountDownLatch(1);

    volatile ContainerSpec spec;
    volatile ContainerIO io;
    volatile RuntimeException createFailure;
    volatile InterruptedException awaitFailure;
    volatile boolean runUntilKilled;
    volatile String guestStdout = "";
    volatile String guestStderr = "";
    volatile StopReason reason = StopReason.EXITED;
    volatile int exitCode;
    volatile String message = "";
    private volatile ContainerState state = ContainerState.CREATED;

    /** The guest stops this way. */
    FakeRuntime stopsWith(StopReason newReason, int newExitCode, String newMessage) {
        this.reason = newReason;
        this.exitCode = newExitCode;
        this.message = newMessage;
        return this;
    }

    @Override
    public ContainerInfo create(ContainerSpec newSpec, ContainerIO newIo) {
        calls.add("create");
        if (createFailure != null) {
            throw createFailure;
        }
        this.spec = newSpec;
        this.io = newIo;
        return info();
    }

    @Override
    public ContainerInfo start(String id) {
        calls.add("start " + id);
        state = ContainerState.RUNNING;
        byte[] out = guestStdout.getBytes(StandardCharsets.UTF_8);
        io.stdout().write(out, 0, out.length);
        byte[] err = guestStderr.getBytes(StandardCharsets.UTF_8);
        io.stderr().write(err, 0, err.length);
        if (!runUntilKilled) {
            state = ContainerState.STOPPED;
        }
        started.countDown();
        return info();
    }

    @Override
    public ContainerInfo kill(String id) {
        calls.add("kill " + id);
        if (state != ContainerState.RUNNING) {
            throw new ContainerException("container " + id + " is " + state);
        }
        reason = StopReason.KILLED;
        exitCode = 137;
        message = "killed";
        state = ContainerState.STOPPED;
        killed.countDown();
        return info();
    }

    @Override
    public ContainerInfo delete(String id) {
        calls.add("delete " + id);
        state = ContainerState.DELETED;
        return info();
    }

    @Override
    public ContainerInfo state(String id) {
        return info();
    }

    @Override
    public List<ContainerInfo> list() {
        return List.of(info());
    }

    @Override
    public ContainerLogs logs(String id) {
        throw new ContainerNotFoundException("no logs in the fake");
    }

    @Override
    public ContainerInfo await(String id, Duration timeout) throws InterruptedException {
        calls.add("await " + id);
        if (awaitFailure != null) {
            throw awaitFailure;
        }
        if (runUntilKilled) {
            killed.await(10, TimeUnit.SECONDS);
        }
        return info();
    }

    private ContainerInfo info() {
        ContainerSpec s = spec;
        boolean stopped = state == ContainerState.STOPPED || state == ContainerState.DELETED;
        return new ContainerInfo("c0ffee", "hello-c0ffee", state, s == null ? "?" : s.module().toString(), "00",
                s == null ? List.of() : s.args(), "chicory", "COMPILED", "", s == null ? null : s.limits(),
                Instant.EPOCH, null, null, stopped ? exitCode : null, stopped ? reason : null,
                stopped ? message : "", 0, 0);
    }
}
