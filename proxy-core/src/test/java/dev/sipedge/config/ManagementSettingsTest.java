package dev.sipedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sipedge.management}: the defaults, and no listening off loopback without a token. */
class ManagementSettingsTest {

    private static ManagementSettings read(String management) {
        return ProxySettings.from(ConfigFactory.parseString("sipedge { management { " + management + " } }")
                .withFallback(ConfigFactory.defaultReference()).resolve()).management();
    }

    @Test
    void defaultsToLoopbackWithoutToken() {
        ManagementSettings m = read("");
        assertEquals("127.0.0.1", m.listen().getHostString());
        assertEquals(8080, m.listen().getPort());
        assertEquals(Optional.empty(), m.token());
    }

    @Test
    void aNonLoopbackListenWithoutTokenRefusesToStartNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("listen = \"0.0.0.0:8080\""));
        assertTrue(e.getMessage().startsWith("sipedge.management.listen"), e.getMessage());
        assertTrue(e.getMessage().contains("sipedge.management.token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("listen = \"10.1.2.3:8080\", token = \"\""));
        assertThrows(IllegalArgumentException.class, () -> read("listen = \"mgmt.example.com:8080\""));
    }

    @Test
    void aTokenAllowsAnyAddress() {
        ManagementSettings m = read("listen = \"0.0.0.0:8443\", token = \"s3cret\"");
        assertEquals(Optional.of("s3cret"), m.token());
        assertEquals(8443, m.listen().getPort());
    }

    @Test
    void loopbackAddresses() {
        assertTrue(ManagementSettings.isLoopback("127.0.0.1"));
        assertTrue(ManagementSettings.isLoopback("127.5.6.7"));
        assertTrue(ManagementSettings.isLoopback("::1"));
        assertTrue(ManagementSettings.isLoopback("localhost"));
        assertFalse(ManagementSettings.isLoopback("::"));
        assertFalse(ManagementSettings.isLoopback("0.0.0.0"));
        assertFalse(ManagementSettings.isLoopback("192.168.1.1"));
        assertEquals(0, read("listen = \"127.0.0.1:0\"").listen().getPort(), "port 0: any free port (tests)");
        assertEquals("::1", read("listen = \"[::1]:8080\"").listen().getHostString());
    }
}
