package dev.sipedge.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty channel implementation in use: native epoll when the library loads (Linux), NIO
 * otherwise. Only epoll offers SO_REUSEPORT, which lets several UDP channels share one port and
 * spreads datagrams over the event loops.
 */
record NativeTransport(EventLoopGroup group, Class<? extends DatagramChannel> datagramChannel,
                       Class<? extends ServerSocketChannel> serverChannel,
                       Class<? extends SocketChannel> socketChannel, boolean reusePort) {

    static NativeTransport create(int threads) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("sipedge-io");
        if (Epoll.isAvailable()) {
            return new NativeTransport(new EpollEventLoopGroup(threads, threadFactory), EpollDatagramChannel.class,
                    EpollServerSocketChannel.class, EpollSocketChannel.class, true);
        }
        return new NativeTransport(new NioEventLoopGroup(threads, threadFactory), NioDatagramChannel.class,
                NioServerSocketChannel.class, NioSocketChannel.class, false);
    }
}
