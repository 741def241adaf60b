package dev.sipedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import org.junit.jupiter.api.Test;

/** How exceptions of the settings records and of Typesafe Config become one {@link ConfigError}. */
class SettingsErrorsTest {
    private static final Config ROOT = ConfigFactory.parseString("""
            sipedge {
              listen = ["udp:127.0.0.1:1", "udp:x"]
              routes = [ { next-hop = "sip:a"
                dialog {
                  profiles = [ { name = a }, { name = b } ]
                } } ]
            }
            """, ConfigParseOptions.defaults().setOriginDescription("test.conf"));

    private static ConfigError of(String message) {
        return SettingsErrors.of(new IllegalArgumentException(message), ROOT.root());
    }

    @Test
    void theKeyComesFromTheStartOfTheMessageAndTheOriginFromTheTree() {
        ConfigError e = of("sipedge.listen[1]: expected transport:host:port, got \"udp:x\"");
        assertEquals("sipedge.listen[1]", e.key());
        assertEquals("expected transport:host:port, got \"udp:x\"", e.problem());
        assertEquals("test.conf: 2", e.origin());
    }

    @Test
    void aKeyInsideTheNamedBlockIsFollowedWhenItExists() {
        ConfigError e = of("sipedge.routes[0].dialog: profiles[1]: dialog profile 'b' takes no value");
        assertEquals("sipedge.routes[0].dialog.profiles[1]", e.key());
        assertEquals("dialog profile 'b' takes no value", e.problem());
        assertEquals("test.conf: 5", e.origin());
        ConfigError absent = of("sipedge.routes[0].dialog: timeout: must be positive, got 0ms");
        assertEquals("sipedge.routes[0].dialog", absent.key(), "no timeout key in the tree: stay at the block");
        assertEquals("timeout: must be positive, got 0ms", absent.problem());
    }

    @Test
    void aKeyMissingFromTheTreeTakesTheOriginOfItsDeepestParent() {
        ConfigError e = of("sipedge.dialog.reinvite-ping-interval: too short");
        assertEquals("sipedge.dialog.reinvite-ping-interval", e.key());
        assertEquals("test.conf: 1", e.origin());
    }

    @Test
    void aMessageWithoutAKeyIsStillOneError() {
        ConfigError e = of("something odd");
        assertEquals("sipedge", e.key());
        assertEquals("something odd", e.problem());
    }

    @Test
    void typesafeExceptionsKeepTheirOriginWithoutRepeatingIt() {
        ConfigOrigin origin = ROOT.getValue("sipedge.listen").origin();
        ConfigError bad = SettingsErrors.of(new ConfigException.BadValue(origin, "sipedge.routes[0].match.from",
                "expected a regular expression"));
        assertEquals("sipedge.routes[0].match.from", bad.key());
        assertEquals("expected a regular expression", bad.problem());
        assertEquals("test.conf: 2", bad.origin());
        ConfigError wrong = SettingsErrors.of(new ConfigException.WrongType(origin, "listen", "NUMBER", "LIST"));
        assertEquals("sipedge", wrong.key());
        assertEquals("listen has type LIST rather than NUMBER", wrong.problem());
        ConfigError missing = SettingsErrors.of(new ConfigException.Missing("sipedge.x"));
        assertEquals("configuration", missing.origin());
        assertEquals(1, missing.line().lines().count());
    }
}
