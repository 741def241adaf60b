package dev.sipedge.management;

import dev.sipedge.config.ManagementSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The management API's HTTP server at {@code sipedge.management.listen}: one event loop of its own
 * (like the metrics endpoint), so operators' calls never delay SIP traffic, and one thread for the
 * blocking work ({@link ProcessControl#reload} reads the file).
 */
public final class ManagementServer implements AutoCloseable {
    /** Bodies are a few hundred bytes of JSON; anything larger is refused with 413. */
    private static final int MAX_BODY = 64 * 1024;

    private final EventLoopGroup group;
    private final ExecutorService blocking;
    private final Channel channel;

    private ManagementServer(EventLoopGroup group, ExecutorService blocking, Channel channel) {
        this.group = group;
        this.blocking = blocking;
        this.channel = channel;
    }

    public static ManagementServer start(ManagementSettings settings, DialogOperations dialogs, ProcessControl process)
            throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("sipedge-management", true));
        ExecutorService blocking = Executors.newSingleThreadExecutor(new DefaultThreadFactory("sipedge-management-work", true));
        ManagementApi api = new ManagementApi(dialogs, process, blocking);
        try {
            InetSocketAddress listen = settings.listen();
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ManagementHandler.configure(ch.pipeline(), api, settings.token(), MAX_BODY);
                        }
                    })
                    .bind(listen.getHostString(), listen.getPort()).sync().channel();
            return new ManagementServer(group, blocking, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        blocking.shutdownNow();
    }
}
