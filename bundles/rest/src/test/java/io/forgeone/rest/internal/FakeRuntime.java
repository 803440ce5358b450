package io.forgeone.rest.internal;

import io.forgeone.api.container.ContainerIO;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerLogs;
import io.forgeone.api.container.ContainerNotFoundException;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerSpec;
import io.forgeone.api.container.ContainerSpecException;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.ContainerStateException;
import io.forgeone.api.container.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mock container runtime for handler tests: containers in a map, output set by the test. */
class FakeRuntime implements ContainerRuntime {
    final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    final Map<String, ContainerLogs> logs = new LinkedHashMap<>();
    final List<ContainerSpec> created = new ArrayList<>();
    private int next = 1;

    @Override
    public synchronized ContainerInfo create(ContainerSpec spec, ContainerIO io) {
        if (spec.engine() != null && spec.engine().equals("missing")) {
            // as the kernel does, the message names the module by its host path
            throw new ContainerSpecException(spec.module().toAbsolutePath() + ": no engine named missing");
        }
        created.add(spec);
        String id = String.format("c%04d", next++);
        ContainerInfo info = new ContainerInfo(id, spec.name() == null ? "app-" + id : spec.name(), ContainerState.CREATED,
                spec.module().toString(), "ab".repeat(32), spec.args(), "chicory", "COMPILED", "", spec.limits(),
                Instant.now(), null, null, null, null, "", 0, 0);
        containers.put(id, info);
        logs.put(id, new ContainerLogs("", "", 0, 0));
        return info;
    }

    @Override
    public synchronized ContainerInfo start(String idOrName) {
        ContainerInfo info = state(idOrName);
        if (info.state() != ContainerState.CREATED) {
            throw new ContainerStateException("container " + idOrName + " is not created");
        }
        return put(new ContainerInfo(info.id(), info.name(), ContainerState.RUNNING, info.module(), info.moduleSha256(),
                info.args(), info.engine(), info.executionMode(), "", info.limits(), info.createdAt(), Instant.now(),
                null, null, null, "", 3, 1));
    }

    @Override
    public synchronized ContainerInfo kill(String idOrName) {
        ContainerInfo info = state(idOrName);
        if (info.state() != ContainerState.RUNNING && info.state() != ContainerState.PAUSED
                && info.state() != ContainerState.QUARANTINED) {
            throw new ContainerStateException("container " + idOrName + " is not running");
        }
        return stop(info.id(), 137, StopReason.KILLED);
    }

    synchronized ContainerInfo stop(String id, int exit, StopReason reason) {
        ContainerInfo info = state(id);
        return put(new ContainerInfo(info.id(), info.name(), ContainerState.STOPPED, info.module(), info.moduleSha256(),
                info.args(), info.engine(), info.executionMode(), "", info.limits(), info.createdAt(), info.startedAt(),
                Instant.now(), exit, reason, "", info.hostCalls(), info.deniedHostCalls()));
    }

    @Override
    public synchronized ContainerInfo delete(String idOrName) {
        ContainerInfo info = state(idOrName);
        if (info.state() == ContainerState.RUNNING) {
            throw new ContainerStateException("container " + idOrName + " is running");
        }
        containers.remove(info.id());
        return info.withState(ContainerState.DELETED);
    }

    @Override
    public synchronized ContainerInfo state(String idOrName) {
        for (ContainerInfo c : containers.values()) {
            if (c.id().equals(idOrName) || c.name().equals(idOrName)) {
                return c;
            }
        }
        throw new ContainerNotFoundException("no container " + idOrName);
    }

    @Override
    public synchronized List<ContainerInfo> list() {
        return List.copyOf(containers.values());
    }

    @Override
    public synchronized ContainerLogs logs(String idOrName) {
        return logs.get(state(idOrName).id());
    }

    @Override
    public ContainerInfo await(String idOrName, Duration timeout) {
        return state(idOrName);
    }

    @Override
    public synchronized ContainerInfo pause(String idOrName) {
        return suspend(idOrName, ContainerState.RUNNING, ContainerState.PAUSED, "paused by an operator");
    }

    @Override
    public synchronized ContainerInfo resume(String idOrName) {
        return suspend(idOrName, ContainerState.PAUSED, ContainerState.RUNNING, null);
    }

    @Override
    public synchronized ContainerInfo quarantine(String idOrName, String reason) {
        return suspend(idOrName, ContainerState.RUNNING, ContainerState.QUARANTINED, reason);
    }

    @Override
    public synchronized ContainerInfo release(String idOrName) {
        return suspend(idOrName, ContainerState.QUARANTINED, ContainerState.RUNNING, null);
    }

    private ContainerInfo suspend(String idOrName, ContainerState from, ContainerState to, String reason) {
        ContainerInfo i = state(idOrName);
        if (i.state() != from) {
            throw new ContainerStateException("container " + idOrName + " is " + i.state() + ", not " + from);
        }
        return put(new ContainerInfo(i.id(), i.name(), to, i.module(), i.moduleSha256(), i.args(), i.engine(),
                i.executionMode(), i.executionNote(), i.limits(), i.createdAt(), i.startedAt(), i.finishedAt(),
                i.exitCode(), i.stopReason(), i.message(), i.hostCalls(), i.deniedHostCalls(),
                to == ContainerState.QUARANTINED ? 10 : 100, reason == null ? null : Instant.now(), reason));
    }

    private ContainerInfo put(ContainerInfo info) {
        containers.put(info.id(), info);
        return info;
    }

    static ContainerLimits limits() {
        return ContainerLimits.DEFAULT;
    }
}
