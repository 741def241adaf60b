package dev.sipedge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.proxy.DrainGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The whole pipeline of an API connection on raw bytes: what the HTTP layer refuses is JSON too. */
class ManagementPipelineTest {
    private static final int MAX_BODY = 1024;

    private static String exchange(String request) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ManagementHandler.configure(channel.pipeline(), new ManagementApi(new FakeDialogs(),
                new EmbeddedProcessControl(new DrainGate()), Runnable::run), Optional.empty(), MAX_BODY);
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }

    @Test
    void aRequestAnswersJsonOverHttp() {
        String answer = exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("\"status\" : \"up\""), answer);
    }

    @Test
    void anOversizedBodyIs413WithAJsonError() {
        String answer = exchange("POST /reload HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_BODY + 1)
                + "\r\n\r\n" + "x".repeat(MAX_BODY + 1));
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("{\n  \"error\" : \"the body exceeds 1024 bytes\"\n}"), answer);
    }

    @Test
    void anUndecodableRequestIs400WithAJsonError() {
        String answer = exchange("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("\"error\" : \"not an HTTP request\""), answer);
        assertFalse(answer.contains("\"status\""), answer);
        assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "one answer: " + answer);
    }
}
