package io.github.visitcounter.counter.system;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

import brave.sampler.Sampler;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.zipkin.autoconfigure.ZipkinConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces are recorded and sent only while Zipkin is there (the gateway's class of the
 * same name does the same, for the traces it starts). Compose's {@code observability}
 * profile adds a host named {@code zipkin}, and Compose cannot set another service's
 * environment per profile: the name resolving is the switch. Spring AOT fixes at build
 * time whether the exporter exists, so it always does, and this sampler decides. Without
 * Zipkin no span is recorded or sent; trace ids are still made and logged.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	ZipkinPresentSampler braveSampler(TracingProperties tracing, ZipkinConnectionDetails zipkin) {
		return new ZipkinPresentSampler(Sampler.create(tracing.getSampling().getProbability()),
				URI.create(zipkin.getSpanEndpoint()).getHost());
	}

	/**
	 * Samples as its delegate does while the Zipkin host resolves, looked up every few
	 * seconds off the request path.
	 */
	static final class ZipkinPresentSampler extends Sampler implements DisposableBean {

		private static final Duration LOOK_UP_EVERY = Duration.ofSeconds(5);

		private final Sampler delegate;

		private final Disposable lookingUp;

		private volatile boolean present;

		ZipkinPresentSampler(Sampler delegate, @Nullable String host) {
			this.delegate = delegate;
			this.lookingUp = (host == null) ? Mono.never().subscribe() : Flux.interval(Duration.ZERO, LOOK_UP_EVERY)
				.onBackpressureDrop()
				.concatMap((tick) -> Mono.fromCallable(() -> resolves(host)).subscribeOn(Schedulers.boundedElastic()),
						1)
				.subscribe((resolves) -> this.present = resolves);
		}

		private static boolean resolves(String host) {
			try {
				InetAddress.getByName(host);
				return true;
			}
			catch (Exception ex) {
				return false;
			}
		}

		@Override
		public boolean isSampled(long traceId) {
			return this.present && this.delegate.isSampled(traceId);
		}

		@Override
		public void destroy() {
			this.lookingUp.dispose();
		}

	}

}
