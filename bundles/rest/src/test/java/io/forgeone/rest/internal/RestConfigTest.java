package io.forgeone.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The configuration's defaults and checks, built with the OSGi converter as DS builds it. */
class RestConfigTest {
    private static RestConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(RestConfig.class);
    }

    @Test
    void defaultsAreLoopbackPlainHttpNoModules() {
        RestOptions o = RestServer.options(config(Map.of()), "/node/var");
        assertEquals("127.0.0.1", o.host());
        assertEquals(8080, o.port());
        assertFalse(o.tls());
        assertEquals("need", o.clientAuth(), "once TLS is on, client certificates are required unless said otherwise");
        assertNull(o.moduleDirectory(), "bare modules stay off until configuration turns them on");
        assertEquals(Path.of("/node/var/packages"), o.packageDirectory(null));
        assertEquals(Path.of("/node/var/store"), o.packageDirectory("store"));
        assertEquals(1 << 20, o.maxJsonBytes());
        assertFalse(o.metricsOpen(), "GET /metrics needs a viewer token unless configured open");
    }

    @Test
    void dottedPropertiesAsConfigAdminHoldsThem() {
        RestOptions o = RestServer.options(config(Map.of("host", "0.0.0.0", "allow.modules", "true",
                "package.directory", "/srv/pkgs", "client.auth", "WANT", "tls", true)), "/node/var");
        assertEquals("0.0.0.0", o.host());
        assertEquals(Path.of("/node/var/rest/modules"), o.moduleDirectory());
        assertEquals(Path.of("/srv/pkgs"), o.packageDirectory("ignored: configured here"));
        assertEquals("want", o.clientAuth());
        assertTrue(o.tls());
        assertTrue(RestServer.options(config(Map.of("metrics.open", "true")), "/node/var").metricsOpen());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestServer.options(config(Map.of("client.auth", "maybe")), "/v"));
        assertTrue(e.getMessage().contains("client.auth"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RestServer.options(config(Map.of("port", 70000)), "/v"));
        assertThrows(IllegalArgumentException.class, () -> RestServer.options(config(Map.of("threads", 1)), "/v"));
    }
}
