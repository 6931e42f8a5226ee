package io.github.visitcounter.counter.system;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Keeps Reactor Netty's HTTP/1.1 server reading a keep-alive connection. Up to 1.3.6
 * (reactor/reactor-netty#4361, fixed after the newest release this build can use), a
 * request that arrives while the previous one on its connection is still finishing is
 * queued, and when that queued request is answered at once (a health check, an error, the
 * favicon) the server stops reading the connection: the client's next request on it waits
 * until the client gives up. This asks for one more read each time a request has
 * finished. Remove it once Reactor Netty is past the fix.
 * <p>
 * Applied to the public server, and to the management server too: its child context
 * builds its own server factory and reads this class from
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
public class KeepAliveConfiguration {

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> readAfterEachRequest() {
		return (factory) -> factory
			.addServerCustomizers((server) -> server.doOnChannelInit((observer, channel, remote) -> {
				ChannelPipeline pipeline = channel.pipeline();
				if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
					pipeline.addAfter(NettyPipeline.HttpTrafficHandler, ReadAfterEachRequest.NAME,
							new ReadAfterEachRequest());
				}
			}));
	}

	/**
	 * Reads once more after the event the server fires when a request's operations end
	 * (package-private in Reactor Netty, hence matched by name). An extra read on a
	 * connection that was already reading changes nothing.
	 */
	static final class ReadAfterEachRequest extends ChannelInboundHandlerAdapter {

		static final String NAME = "visitCounter.readAfterEachRequest";

		private static final String REQUEST_ENDED = "reactor.netty.http.server.HttpServerOperationsTerminatedEvent";

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			super.userEventTriggered(ctx, event);
			if (event.getClass().getName().equals(REQUEST_ENDED)) {
				// After the server's own handling of the event, which runs as a task too
				ctx.executor().execute(() -> ctx.channel().read());
			}
		}

	}

}
