package io.forgeone.rest.internal;

import io.forgeone.api.auth.Role;
import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerRuntime;
import io.forgeone.api.container.ContainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redzone: containers the gate (or an operator) quarantined, kept suspended with their memory for forensics.
 * Releasing one lets it run on under its policy, so it takes an admin; killing one is an operator's everyday job.
 */
final class QuarantineRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineRoutes.class);

    private final NodeServices services;

    QuarantineRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/quarantine", Role.VIEWER, Route.Body.NONE, this::list)
                .add("POST", "/v1/quarantine/{id}/release", Role.ADMIN, Route.Body.NONE, this::release)
                .add("POST", "/v1/quarantine/{id}/kill", Role.OPERATOR, Route.Body.NONE, this::kill);
    }

    Reply list(Call call) {
        List<Object> out = new ArrayList<>();
        for (ContainerInfo info : services.containers().list()) {
            if (info.state() == ContainerState.QUARANTINED) {
                out.add(ContainerRoutes.json(info));
            }
        }
        return Reply.ok(Map.of("containers", out));
    }

    Reply release(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        requireQuarantined(runtime, id);
        ContainerInfo info = ContainerRoutes.guard(() -> runtime.release(id));
        LOG.info("{} released container {} ({}) from quarantine", call.caller().id(), info.id(), info.name());
        return Reply.ok(ContainerRoutes.json(info));
    }

    Reply kill(Call call) {
        ContainerRuntime runtime = services.containers();
        String id = call.param("id");
        requireQuarantined(runtime, id);
        ContainerInfo info = ContainerRoutes.guard(() -> runtime.kill(id));
        LOG.info("{} killed quarantined container {} ({})", call.caller().id(), info.id(), info.name());
        return Reply.ok(ContainerRoutes.json(info));
    }

    /** These routes act on quarantined containers only: anything else is 409, not a kill by another door. */
    private static void requireQuarantined(ContainerRuntime runtime, String id) {
        ContainerInfo info = ContainerRoutes.guard(() -> runtime.state(id));
        if (info.state() != ContainerState.QUARANTINED) {
            throw new ApiError(409, "container_state", "container " + id + " is "
                    + info.state().name().toLowerCase(java.util.Locale.ROOT) + ", not quarantined");
        }
    }
}
