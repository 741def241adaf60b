package dev.sipedge.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP side of the API on one connection: checks the bearer token, decodes the request, hands it
 * to {@link ManagementApi} and writes the answer from the future's callback, on whichever thread
 * completes it (a shard, the reload thread): the event loop never waits. Mutating calls are
 * logged on {@code sipedge.management.audit}. One request at a time per connection (reading
 * pauses until the answer is written), so answers cannot overtake each other.
 */
final class ManagementHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final Logger AUDIT = LoggerFactory.getLogger("sipedge.management.audit");
    private static final String JSON = "application/json; charset=utf-8";

    private final ManagementApi api;
    private final Optional<byte[]> token;

    ManagementHandler(ManagementApi api, Optional<String> token) {
        this.api = api;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** The pipeline of one API connection: HTTP codec, body aggregation (JSON 413 past {@code maxBody}), this. */
    static void configure(ChannelPipeline pipeline, ManagementApi api, Optional<String> token, int maxBody) {
        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(maxBody) {
            @Override
            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                write(ctx, ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "the body exceeds " + maxBody + " bytes"), false);
            }
        }, new ManagementHandler(api, token));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            write(ctx, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "not an HTTP request"), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String method = request.method().name();
        String uri = request.uri();
        String remote = String.valueOf(ctx.channel().remoteAddress());
        boolean mutating = !request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD);
        if (!authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            ApiResponse refused = new ApiResponse(HttpResponseStatus.UNAUTHORIZED,
                    ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token").body(),
                    Map.of("WWW-Authenticate", "Bearer"));
            if (mutating) {
                AUDIT.info("{} {} {} -> 401 unauthorized", remote, method, uri);
            }
            write(ctx, refused, keepAlive);
            return;
        }
        ApiRequest decoded;
        try {
            decoded = decode(method, uri, request.content().toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            write(ctx, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "bad request URI: " + e.getMessage()), keepAlive);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        api.handle(decoded).whenComplete((answer, never) -> {
            if (mutating) {
                AUDIT.info("{} {} {} -> {}", remote, method, uri, answer.status().code());
            }
            write(ctx, answer, keepAlive);
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** Constant-time comparison, so the answer's timing tells nothing about the token. */
    private boolean authorized(String header) {
        if (token.isEmpty()) {
            return true;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get());
    }

    /** Splits the raw path so an id with an encoded '/' stays one segment; '+' in a path is a plus. */
    static ApiRequest decode(String method, String uri, String body) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        String raw = decoder.rawPath();
        List<String> segments = new ArrayList<>();
        String trimmed = raw.startsWith("/") ? raw.substring(1) : raw;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.isEmpty()) {
            for (String s : trimmed.split("/", -1)) {
                segments.add(QueryStringDecoder.decodeComponent(s.replace("+", "%2B")));
            }
        }
        return new ApiRequest(method, segments, decoder.parameters(), body);
    }

    static void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        byte[] json;
        try {
            json = (Json.MAPPER.writeValueAsString(answer.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            json = "{\"error\": \"cannot render the answer\"}\n".getBytes(StandardCharsets.UTF_8);
        }
        ByteBuf content = Unpooled.wrappedBuffer(json);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        answer.headers().forEach((k, v) -> response.headers().set(k, v));
        HttpUtil.setContentLength(response, content.readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
