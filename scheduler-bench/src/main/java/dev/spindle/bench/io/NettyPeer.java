package dev.spindle.bench.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 NIO servers that answer exactly as Spindle's example servers do: an HTTP/1.1
 * plaintext server ({@code GET /} → {@code 200 Hello, World!}, keep-alive, the same two headers
 * with the same spelling) and a TCP echo server. One boss thread accepts; an event loop group of
 * {@code workers} threads serves the connections. Nothing here is Netty's example code.
 *
 * <p>{@link NettyQuiet#configure()} must have run before this class is first used.
 */
final class NettyPeer implements AutoCloseable {
    static {
        NettyQuiet.configure(); // before any Netty class initializes
    }

    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString CLOSE = AsciiString.cached("close");

    private final EventLoopGroup boss;
    private final EventLoopGroup group;
    private final Channel server;

    private NettyPeer(EventLoopGroup boss, EventLoopGroup group, Channel server) {
        this.boss = boss;
        this.group = group;
        this.server = server;
    }

    /** An event loop group of {@code n} NIO threads (daemon, so a failed run cannot hang the JVM). */
    static EventLoopGroup nioGroup(int n, String name) {
        return new MultiThreadIoEventLoopGroup(n, new io.netty.util.concurrent.DefaultThreadFactory(name, true),
                NioIoHandler.newFactory());
    }

    /** The HTTP server on {@code address}, served by {@code workers} event loop threads. */
    static NettyPeer http(InetSocketAddress address, int workers) throws InterruptedException {
        return start(address, workers, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new Hello());
            }
        });
    }

    /** The echo server on {@code address}, served by {@code workers} event loop threads. */
    static NettyPeer echo(InetSocketAddress address, int workers) throws InterruptedException {
        return start(address, workers, echoHandler());
    }

    /** The echo handler, one for every connection. */
    static ChannelHandler echoHandler() {
        return new Echo();
    }

    /** Starts a server on its own boss thread and an event loop group of {@code workers}. */
    private static NettyPeer start(InetSocketAddress address, int workers, ChannelHandler child)
            throws InterruptedException {
        EventLoopGroup boss = nioGroup(1, "netty-boss");
        EventLoopGroup group = nioGroup(workers, "netty-worker");
        return serve(boss, group, address, child);
    }

    /** Binds a server whose connections are served by {@code group}; closing stops both groups. */
    static NettyPeer serve(EventLoopGroup boss, EventLoopGroup group, InetSocketAddress address, ChannelHandler child)
            throws InterruptedException {
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024) // Spindle's TcpListener.DEFAULT_BACKLOG
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true) // as Spindle's accepted streams
                    .childHandler(child)
                    .bind(address).sync().channel();
            return new NettyPeer(boss, group, server);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (group != boss) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw e;
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Closes the server socket and stops the event loops, waiting for them. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers each request as it is decoded; flushes once per read batch, so pipelined answers share a write. */
    private static final class Hello extends ChannelInboundHandlerAdapter {
        private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII)));
        private static final ByteBuf NOT_FOUND = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes("Not Found".getBytes(StandardCharsets.US_ASCII)));
        private static final ByteBuf NOT_ALLOWED = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes("Method Not Allowed".getBytes(StandardCharsets.US_ASCII)));

        private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof HttpRequest)) {
                    return; // body chunks and the end-of-request marker: nothing to answer
                }
                HttpRequest req = (HttpRequest) msg;
                if (req.decoderResult().isFailure()) {
                    FullHttpResponse bad = response(HttpResponseStatus.BAD_REQUEST,
                            Unpooled.copiedBuffer("Bad Request", StandardCharsets.US_ASCII));
                    bad.headers().set(CONNECTION, CLOSE);
                    ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                boolean get = HttpMethod.GET.equals(req.method());
                FullHttpResponse res = !get ? response(HttpResponseStatus.METHOD_NOT_ALLOWED, NOT_ALLOWED.duplicate())
                        : "/".equals(req.uri()) ? response(HttpResponseStatus.OK, HELLO.duplicate())
                        : response(HttpResponseStatus.NOT_FOUND, NOT_FOUND.duplicate());
                if (HttpUtil.isKeepAlive(req)) {
                    ctx.write(res);
                } else {
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body) {
            // Our own constant headers need no validation.
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body,
                    HEADERS, DefaultHttpHeadersFactory.trailersFactory());
            res.headers().set(CONTENT_TYPE, TEXT_PLAIN).setInt(CONTENT_LENGTH, body.readableBytes());
            return res;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset or a vanished client, as Spindle's servers treat it
        }
    }

    /** Writes back what it reads; flushes once per read batch. Shared by every connection. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
