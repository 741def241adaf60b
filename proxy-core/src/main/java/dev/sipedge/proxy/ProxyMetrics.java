package dev.sipedge.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy's own meters, resolved once at start-up (never per message): requests received by
 * method and responses sent by class. Methods outside the RFC set count as {@code other}, so a
 * flood of made-up methods cannot grow the registry.
 */
public final class ProxyMetrics {
    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK",
        "UPDATE", "INFO", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"};

    private final Map<String, Counter> requestsByMethod = new HashMap<>();
    private final Counter otherRequests;
    private final Counter[] responsesByClass = new Counter[7];
    private final Counter dropped;

    public ProxyMetrics(MeterRegistry registry) {
        for (String method : METHODS) {
            requestsByMethod.put(method, requestCounter(registry, method));
        }
        otherRequests = requestCounter(registry, "other");
        for (int c = 1; c <= 6; c++) {
            responsesByClass[c] = Counter.builder("sipedge_responses_sent")
                    .description("SIP responses sent (forwarded or generated), by status class")
                    .tag("class", c + "xx").register(registry);
        }
        dropped = Counter.builder("sipedge_messages_dropped")
                .description("Well-formed messages the proxy dropped (stray responses, unroutable ACKs)")
                .register(registry);
    }

    private static Counter requestCounter(MeterRegistry registry, String method) {
        return Counter.builder("sipedge_requests_received")
                .description("SIP requests received, retransmissions included, by method")
                .tag("method", method).register(registry);
    }

    public void requestReceived(String method) {
        requestsByMethod.getOrDefault(method, otherRequests).increment();
    }

    public void responseSent(int status) {
        int c = status / 100;
        if (c >= 1 && c <= 6) {
            responsesByClass[c].increment();
        }
    }

    public void dropped() {
        dropped.increment();
    }
}
