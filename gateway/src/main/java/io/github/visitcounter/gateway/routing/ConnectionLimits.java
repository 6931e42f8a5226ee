package io.github.visitcounter.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Bounds what a client can hold on the public port, where Reactor Netty has no setting
 * for it: at most {@code gateway.edge.max-connections} open connections (one more is
 * answered 503 and closed), and a request's line and headers must arrive within
 * {@code request-head-timeout} of its first byte (else 408, and closed), so that clients
 * trickling headers give their connections back. Reactor Netty's request timeout bounds
 * the body once the headers are in; its idle timeout closes quiet keep-alive connections.
 */
final class ConnectionLimits implements NettyServerCustomizer {

	private final EdgeProperties edge;

	private final AtomicInteger open = new AtomicInteger();

	ConnectionLimits(EdgeProperties edge) {
		this.edge = edge;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.requestTimeout(this.edge.requestBodyTimeout()).doOnChannelInit((observer, channel, remote) -> {
			RequestHead head = new RequestHead();
			channel.pipeline().addFirst("visitCounter.admission", head.bytes);
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, "visitCounter.requestHead", head.messages);
			}
		});
	}

	private static void refuse(ChannelHandlerContext ctx, String status, String sentence) {
		String body = status + ": " + sentence + "\n";
		ByteBuf response = Unpooled.copiedBuffer("HTTP/1.1 " + status + "\r\nContent-Type: text/plain;charset=UTF-8\r\n"
				+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body, StandardCharsets.UTF_8);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	/**
	 * One connection: admission, and the deadline of each request's head. {@code bytes}
	 * sees what arrives before HTTP decoding, {@code messages} what was decoded.
	 */
	private final class RequestHead {

		private boolean counted;

		private boolean inRequest;

		private ScheduledFuture<?> deadline;

		final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) throws Exception {
				RequestHead.this.counted = true;
				if (ConnectionLimits.this.open.incrementAndGet() > ConnectionLimits.this.edge.maxConnections()) {
					refuse(ctx, "503 Service Unavailable", "too many open connections; try again shortly.");
					return;
				}
				super.channelActive(ctx);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) throws Exception {
				if (RequestHead.this.counted) {
					ConnectionLimits.this.open.decrementAndGet();
				}
				cancelDeadline();
				super.channelInactive(ctx);
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (!RequestHead.this.inRequest && RequestHead.this.deadline == null && msg instanceof ByteBuf buffer
						&& buffer.isReadable()) {
					RequestHead.this.deadline = ctx.executor()
						.schedule(() -> refuse(ctx, "408 Request Timeout", "the request's headers took too long."),
								ConnectionLimits.this.edge.requestHeadTimeout().toMillis(), TimeUnit.MILLISECONDS);
				}
				super.channelRead(ctx, msg);
			}

		};

		final ChannelInboundHandlerAdapter messages = new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (msg instanceof HttpRequest) {
					RequestHead.this.inRequest = true;
					cancelDeadline();
				}
				if (msg instanceof LastHttpContent) {
					RequestHead.this.inRequest = false;
				}
				super.channelRead(ctx, msg);
			}

		};

		private void cancelDeadline() {
			if (this.deadline != null) {
				this.deadline.cancel(false);
				this.deadline = null;
			}
		}

	}

}
