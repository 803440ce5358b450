package io.forgeone.rest.internal;

import io.forgeone.api.auth.IssuedCertificate;
import io.forgeone.api.auth.Role;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's CA for mutual TLS: its certificate (to trust), and client certificates (admin only). */
final class CertificateRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRoutes.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final NodeServices services;

    CertificateRoutes(NodeServices services) {
        this.services = services;
    }

    void register(Routes routes) {
        routes.add("GET", "/v1/certs/ca", Role.VIEWER, Route.Body.NONE, this::ca)
                .add("POST", "/v1/certs", Role.ADMIN, Route.Body.JSON, this::issue);
    }

    Reply ca(Call call) {
        return Reply.ok(Map.of("certificate", services.certificates().caCertificatePem()));
    }

    /** Issues a client certificate with a new key; the answer is the only place the key appears. */
    Reply issue(Call call) {
        JsonObject body = call.json().only(Set.of("name", "validityDays"));
        String name = body.require("name", NAME, "1..64 of [A-Za-z0-9._@-]");
        long days = body.integer("validityDays", 1, 825).orElse(365L);
        IssuedCertificate c = services.certificates().issueClient(name, Duration.ofDays(days));
        LOG.info("{} issued client certificate {} (serial {})", call.caller() == null ? "?" : call.caller().id(), name,
                c.serial());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("serial", c.serial());
        out.put("notAfter", c.notAfter().toString());
        out.put("certificate", c.certificatePem());
        out.put("privateKey", c.privateKeyPem());
        out.put("ca", services.certificates().caCertificatePem());
        return Reply.created(out);
    }
}
