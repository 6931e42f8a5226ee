package io.github.visitcounter.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.MethodMode;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of three real replicas: rotation, health checks, failover and
 * retries.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gateway.routing.read-timeout=1s", "gateway.routing.write-timeout=1s" })
@ActiveProfiles("test")
@Import(CounterReplicas.Dns.class)
@DirtiesContext
class CounterLoadBalancingTests {

	private static final CounterReplicas replicas = CounterReplicas.start();

	private static final String NO_REPLICA = "503 Service Unavailable: no counter replica is available; try again shortly.\n";

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private LoadBalancerClientFactory loadBalancers;

	@Autowired
	private MeterRegistry meters;

	private WebTestClient client;

	@DynamicPropertySource
	static void replicaPorts(DynamicPropertyRegistry registry) {
		replicas.configure(registry, CounterReplicas.freePort());
	}

	@AfterAll
	static void stopReplicas() {
		replicas.close();
	}

	@BeforeEach
	void everyReplicaInRotation() {
		replicas.reviveAll();
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		awaitInRotation("127.0.0.2", "127.0.0.3", "127.0.0.4");
	}

	@Test
	void rotatesOverEveryHealthyReplica() {
		List<String> hostnames = IntStream.range(0, 300).mapToObj((i) -> hostname(visit())).toList();
		assertThat(hostnames.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
			.containsOnly(Map.entry("backend-1", 100L), Map.entry("backend-2", 100L), Map.entry("backend-3", 100L));
		assertThat(hostnames.subList(0, 3)).doesNotHaveDuplicates();
		for (int i = 3; i < hostnames.size(); i++) {
			assertThat(hostnames.get(i)).as("request %d", i).isEqualTo(hostnames.get(i - 3));
		}
	}

	@Test
	void failsOverWithoutErrorsWhileReplicaDiesAndComesBack() {
		AtomicInteger answered = new AtomicInteger();
		CompletableFuture<List<Integer>> statuses = statuses(1000, 4, answered);
		await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 200);
		CounterReplica dying = replicas.get(1);
		dying.kill();
		assertThat(statuses).succeedsWithin(Duration.ofSeconds(60))
			.satisfies((all) -> assertThat(all).hasSize(1000).containsOnly(200));

		awaitInRotation("127.0.0.2", "127.0.0.4");
		replicas.revive(dying);
		awaitInRotation("127.0.0.2", "127.0.0.3", "127.0.0.4");
		IntStream.range(0, 30).forEach((i) -> visit());
		assertThat(dying.requests()).isEqualTo(10);
	}

	@Test
	void leavesOutReplicaThatIsNotReadyUntilItRecovers() {
		CounterReplica unready = replicas.get(2);
		unready.ready(false);
		awaitInRotation("127.0.0.2", "127.0.0.3");
		IntStream.range(0, 30).forEach((i) -> visit());
		assertThat(unready.requests()).isZero();

		unready.ready(true);
		awaitInRotation("127.0.0.2", "127.0.0.3", "127.0.0.4");
		IntStream.range(0, 30).forEach((i) -> visit());
		assertThat(unready.requests()).isEqualTo(10);
	}

	@Test
	void listsTheReplicasInRotationOnTheManagementPort() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		int port = replicas.port();
		management.get()
			.uri("/actuator/rotation")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.counter")
			.isEqualTo(List.of("127.0.0.2:" + port, "127.0.0.3:" + port, "127.0.0.4:" + port));
		replicas.get(1).ready(false);
		awaitInRotation("127.0.0.2", "127.0.0.4");
		management.get()
			.uri("/actuator/rotation")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.counter")
			.isEqualTo(List.of("127.0.0.2:" + port, "127.0.0.4:" + port));
	}

	@Test
	void sendsRetriesToAnotherReplicaThanTheOneThatFailed() {
		CounterReplica refusing = replicas.get(1);
		double retriesBefore = retries();
		double refusedBefore = attempts(refusing);
		double servedBefore = attempts(replicas.get(0)) + attempts(replicas.get(2));
		refusing.stopServing();
		assertThat(statuses(300, 8)).hasSize(300).containsOnly(200);
		assertThat(refusing.requests()).isZero();
		// Every attempt is timed by replica; each one on the refusing replica is retried
		double refused = attempts(refusing) - refusedBefore;
		assertThat(refused).isPositive();
		assertThat(retries() - retriesBefore).isEqualTo(refused);
		assertThat(attempts(replicas.get(0)) + attempts(replicas.get(2)) - servedBefore).isEqualTo(300);
	}

	@Test
	void retriesPostOnNextReplicaWhenConnectionIsRefused() {
		CounterReplica refusing = replicas.get(0);
		refusing.stopServing();
		for (int i = 0; i < 30; i++) {
			this.client.post()
				.uri("/api/visits")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((visit) -> assertThat(visit).contains("Hostname: backend-"));
		}
		assertThat(refusing.posts()).isZero();
		assertThat(replicas.posts()).isEqualTo(30);
		assertThat(liveAddresses()).as("still passing health checks").hasSize(3);
	}

	@Test
	void aFrozenReplicaCostsNoFailedReadWhileItLeavesTheRotation() {
		CounterReplica frozen = replicas.get(1);
		AtomicInteger answered = new AtomicInteger();
		CompletableFuture<List<Integer>> statuses = statuses(600, 8, answered);
		await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 100);
		frozen.freeze(true);
		assertThat(statuses).succeedsWithin(Duration.ofSeconds(60))
			.satisfies((all) -> assertThat(all).hasSize(600).containsOnly(200));
		awaitInRotation("127.0.0.2", "127.0.0.4");
	}

	@Test
	// A gateway of its own: the budget counts the requests of the last ten seconds, and
	// the tests before this one (600 requests in one) would widen it
	@DirtiesContext(methodMode = MethodMode.BEFORE_METHOD)
	void keepsRetriesWithinABudgetWhenEveryReplicaIsSlow() {
		replicas.all().forEach((replica) -> replica.stall(true));
		assertThat(statuses(400, 100)).hasSize(400).containsOnly(504);
		System.out.printf("Every replica slow: %d attempts on the replicas for 400 requests%n", replicas.requests());
		// without a budget, every request would be tried on the replicas four times
		assertThat(replicas.requests()).isBetween(400, 400 + 100 + 100);
	}

	@Test
	void doesNotRetryPostSentToAFrozenReplica() {
		replicas.all().forEach((replica) -> replica.freeze(true));
		this.client.post()
			.uri("/api/visits")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
			.expectBody(String.class)
			.isEqualTo("504 Gateway Timeout: the counter replica did not answer in time; try again shortly.\n");
		assertThat(replicas.posts()).isEqualTo(1);
	}

	@Test
	void doesNotRetryPostThatReachedReplica() {
		replicas.all().forEach((replica) -> replica.hangUpOnPost(true));
		this.client.post()
			.uri("/api/visits")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.BAD_GATEWAY)
			.expectBody(String.class)
			.isEqualTo("502 Bad Gateway: the counter replica closed the connection before answering.\n");
		assertThat(replicas.posts()).isEqualTo(1);
	}

	@Test
	void answersServiceUnavailableInEveryFormWhenNoReplicaIsUp() {
		replicas.all().forEach(CounterReplica::kill);
		this.client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody(String.class)
			.isEqualTo(NO_REPLICA);
		awaitInRotation();

		this.client.get()
			.uri("/")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody(String.class)
			.isEqualTo(NO_REPLICA);
		this.client.get()
			.uri("/api/visits")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.title")
			.isEqualTo("Service Unavailable")
			.jsonPath("$.detail")
			.isEqualTo("no counter replica is available; try again shortly.")
			.jsonPath("$.instance")
			.isEqualTo("/api/visits");
		String page = this.client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML, MediaType.ALL)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page)
			.contains("<h1>503 Service Unavailable</h1>", "no counter replica is available; try again shortly.")
			.doesNotContain("Exception", "Whitelabel", "at io.", "at org.");
	}

	private double retries() {
		Counter retries = this.meters.find("gateway.retries").tag("routeId", "visits-read").counter();
		return (retries != null) ? retries.count() : 0;
	}

	private double attempts(CounterReplica replica) {
		return this.meters.find("gateway.replica.requests")
			.tag("replica", replica.address() + ":" + replicas.port())
			.timers()
			.stream()
			.mapToDouble(Timer::count)
			.sum();
	}

	private List<Integer> statuses(int requests, int concurrency) {
		return statuses(requests, concurrency, new AtomicInteger()).join();
	}

	/**
	 * Statuses of GET / sent with the given concurrency, counting answers as they come.
	 */
	private CompletableFuture<List<Integer>> statuses(int requests, int concurrency, AtomicInteger answered) {
		WebClient webClient = WebClient.create("http://127.0.0.1:" + this.port);
		return Flux.range(0, requests)
			.flatMap((i) -> webClient.get()
				.uri("/")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.doOnNext((status) -> answered.incrementAndGet()), concurrency)
			.collectList()
			.toFuture();
	}

	private String visit() {
		return this.client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static String hostname(String visit) {
		return visit.lines().filter((line) -> line.startsWith("Hostname: ")).findFirst().orElseThrow().substring(10);
	}

	private void awaitInRotation(String... addresses) {
		await().atMost(10, TimeUnit.SECONDS)
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(liveAddresses()).containsExactly(addresses));
	}

	private List<String> liveAddresses() {
		ServiceInstanceListSupplier supplier = this.loadBalancers.getInstance("counter",
				ServiceInstanceListSupplier.class);
		List<ServiceInstance> instances = supplier.get().blockFirst(Duration.ofSeconds(2));
		return instances.stream().map(ServiceInstance::getHost).toList();
	}

}
