package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.sipedge.config.ProxySettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many event loops the transport gets: the configured number, or sipedge's choice for the machine. */
class TransportSettingsTest {

    private static final List<ListenAddress> LISTEN = List.of(ListenAddress.parse("udp:127.0.0.1:0"));

    @ParameterizedTest(name = "{0} cores: {1} loops")
    @CsvSource({"1, 1", "2, 1", "3, 3", "4, 4", "16, 16"})
    void oneLoopOnTwoCoresOrFewerElseOnePerCore(int cores, int loops) {
        assertEquals(loops, TransportSettings.defaultIoThreads(cores));
    }

    /** The rule restated rather than called, so that the settings cannot drift from it unnoticed. */
    private static int expectedLoops(int cores) {
        return cores <= 2 ? 1 : cores;
    }

    @Test
    void zeroLeavesItToTheMachineAndANumberIsKept() {
        int cores = Runtime.getRuntime().availableProcessors();
        TransportSettings chosen = TransportSettings.defaults(LISTEN);
        assertEquals(expectedLoops(cores), chosen.effectiveIoThreads());
        TransportSettings three = new TransportSettings(LISTEN, 65535, chosen.tcpIdleTimeout(), 3,
                chosen.tcpConnectTimeout());
        assertEquals(3, three.effectiveIoThreads());
    }

    @Test
    void theConfigurationResolvesZeroTheSameWayAndKeepsAnExplicitCount() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(expectedLoops(cores), read("").transport().ioThreads());
        assertEquals(2, read("transport.io-threads = 2").transport().ioThreads());
    }

    @Test
    void aNegativeCountNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("transport.io-threads = -1"));
        assertEquals("sipedge.transport.io-threads: must be 0 (sipedge's choice) or more, got -1", e.getMessage());
    }

    private static ProxySettings read(String sipedge) {
        String hocon = "sipedge {\n listen = [\"udp:127.0.0.1:0\"]\n"
                + " routes = [ { next-hop = \"sip:127.0.0.1:5070\" } ]\n" + sipedge + "\n}\n";
        return ProxySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
