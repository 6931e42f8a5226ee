package io.github.visitcounter.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/kubernetes} as {@code kubectl kustomize} renders it, checked against what
 * the manifests must agree with and no cluster is needed to see: the services' own
 * {@code application.yaml} (ports, health groups, the gateway's counter host, shutdown
 * timings) and {@code compose.yaml} (images, memory limits). Skipped where kubectl is
 * absent.
 */
class KubernetesManifestsTests {

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private static final Path ROOT = Path.of(System.getProperty("compose.file", "../compose.yaml"))
		.toAbsolutePath()
		.normalize()
		.getParent();

	private static List<JsonNode> manifests;

	private static JsonNode counterConfig;

	private static JsonNode gatewayConfig;

	private static JsonNode compose;

	@BeforeAll
	static void render() throws IOException {
		ComposeStack.Result version = run("kubectl", "version", "--client");
		Assumptions.assumeTrue(version.ok(),
				() -> "Kubernetes manifest test skipped: kubectl is not installed (" + version.output().trim() + ")");
		ComposeStack.Result rendered = run("kubectl", "kustomize", "deploy/kubernetes");
		assertThat(rendered.exitCode()).as(rendered.output()).isZero();
		manifests = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered.output()).readAll();
		counterConfig = yaml("counter-service/src/main/resources/application.yaml");
		gatewayConfig = yaml("gateway/src/main/resources/application.yaml");
		compose = yaml("compose.yaml");
	}

	@Test
	void probesAskEachServiceItsOwnHealthGroupsOnItsManagementPort() {
		for (Map.Entry<String, JsonNode> service : Map.of("counter", counterConfig, "gateway", gatewayConfig)
			.entrySet()) {
			JsonNode config = service.getValue();
			JsonNode container = container(workload("Deployment", service.getKey()));
			assertThat(config.at("/management/endpoint/health/probes/enabled").asBoolean())
				.as("%s serves the liveness and readiness groups", service.getKey())
				.isTrue();
			int management = config.at("/management/server/port").asInt();
			int http = config.at("/server/port").asInt();
			assertThat(containerPort(container, "management")).as("%s management port", service.getKey())
				.isEqualTo(management);
			assertThat(containerPort(container, "http")).as("%s http port", service.getKey()).isEqualTo(http);
			for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
				JsonNode get = container.at("/" + probe + "/httpGet");
				assertThat(containerPort(container, get.get("port").asString()))
					.as("%s %s port", service.getKey(), probe)
					.isEqualTo(management);
				assertThat(get.get("path").asString()).as("%s %s path", service.getKey(), probe)
					.isEqualTo(probe.equals("readinessProbe") ? "/actuator/health/readiness"
							: "/actuator/health/liveness");
			}
		}
		assertThat(counterConfig.at("/management/endpoint/health/group/readiness/include").asString())
			.as("the counter's readiness group")
			.contains("redis");
	}

	@Test
	void theHeadlessCounterServiceIsTheGatewaysCounterHost() {
		JsonNode gateway = container(workload("Deployment", "gateway"));
		String host = env(gateway, "GATEWAY_COUNTER_HOST", gatewayConfig.at("/gateway/counter/host").asString());
		int port = Integer.parseInt(env(gateway, "GATEWAY_COUNTER_PORT",
				Integer.toString(gatewayConfig.at("/gateway/counter/port").asInt())));
		JsonNode service = resource("Service", host);
		assertThat(service.at("/spec/clusterIP").asString()).as("the counter Service is headless").isEqualTo("None");
		assertThat(service.at("/spec/publishNotReadyAddresses").asBoolean(false)).as("lists only ready pods").isFalse();
		JsonNode counter = workload("Deployment", "counter");
		assertThat(selects(service.at("/spec/selector"), counter)).as("%s selects the counter pods", host).isTrue();
		assertThat(port).as("the port the gateway sends to").isEqualTo(counterConfig.at("/server/port").asInt());
		assertThat(containerPort(container(counter), "http")).isEqualTo(port);
	}

	@Test
	void updatesKeepEveryReplicaServingAndStoppingReplicasDrainFirst() {
		JsonNode counter = workload("Deployment", "counter");
		assertThat(counter.at("/spec/strategy/type").asString()).isEqualTo("RollingUpdate");
		assertThat(counter.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1)).isZero();
		assertThat(counter.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isPositive();
		JsonNode container = container(counter);
		long preStop = preStopSeconds(container);
		long drain = seconds(env(container, "COUNTER_SHUTDOWN_DRAIN_DELAY",
				counterConfig.at("/counter/shutdown/drain-delay").asString()));
		long inFlight = seconds(counterConfig.at("/spring/lifecycle/timeout-per-shutdown-phase").asString());
		assertThat(preStop).as("preStop drain, s").isPositive();
		assertThat(drain).as("drain delay after SIGTERM, s").isPositive();
		assertThat(counter.at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
			.as("grace period covers preStop %d s, drain %d s and in-flight requests %d s", preStop, drain, inFlight)
			.isGreaterThanOrEqualTo(preStop + drain + inFlight);

		JsonNode gateway = workload("Deployment", "gateway");
		assertThat(gateway.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1)).isZero();
		assertThat(gateway.at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
			.isGreaterThanOrEqualTo(preStopSeconds(container(gateway))
					+ seconds(gatewayConfig.at("/spring/lifecycle/timeout-per-shutdown-phase").asString()));

		for (String name : List.of("counter", "gateway")) {
			JsonNode budget = resource("PodDisruptionBudget", name);
			assertThat(selects(budget.at("/spec/selector/matchLabels"), workload("Deployment", name)))
				.as("PodDisruptionBudget %s selects the %s pods", name, name)
				.isTrue();
		}
	}

	@Test
	void onlyTheCountersReachRedisWhichKeepsItsDataOnAPersistentVolume() {
		JsonNode redis = workload("StatefulSet", "redis");
		JsonNode service = resource("Service", redis.at("/spec/serviceName").asString());
		assertThat(service.at("/spec/clusterIP").asString()).isEqualTo("None");
		assertThat(selects(service.at("/spec/selector"), redis)).isTrue();
		assertThat(env(container(workload("Deployment", "counter")), "SPRING_DATA_REDIS_HOST", "localhost"))
			.as("where the counters look for Redis")
			.isEqualTo(service.at("/metadata/name").asString());
		JsonNode claim = redis.at("/spec/volumeClaimTemplates/0");
		assertThat(claim.at("/spec/accessModes").toString()).contains("ReadWriteOnce");
		assertThat(container(redis).at("/volumeMounts").valueStream())
			.anyMatch((mount) -> mount.get("name").asString().equals(claim.at("/metadata/name").asString())
					&& mount.get("mountPath").asString().equals("/data"));

		List<JsonNode> policies = resources("NetworkPolicy",
				(policy) -> selects(policy.at("/spec/podSelector/matchLabels"), redis));
		assertThat(policies).as("NetworkPolicies on Redis").hasSize(1);
		JsonNode policy = policies.get(0);
		assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress");
		JsonNode from = policy.at("/spec/ingress");
		assertThat(from.size()).isOne();
		assertThat(from.at("/0/from").size()).isOne();
		JsonNode allowed = from.at("/0/from/0/podSelector/matchLabels");
		assertThat(selects(allowed, workload("Deployment", "counter"))).as("the counters may connect").isTrue();
		assertThat(selects(allowed, workload("Deployment", "gateway"))).as("the gateway may connect").isFalse();
		assertThat(from.at("/0/ports/0/port").asInt()).isEqualTo(containerPort(container(redis), "redis"));
	}

	@Test
	void imagesAndMemoryLimitsAreComposes() {
		assertThat(container(workload("Deployment", "counter")).get("image").asString())
			.isEqualTo(composeImage("counter"));
		assertThat(container(workload("Deployment", "gateway")).get("image").asString())
			.isEqualTo(composeImage("gateway"));
		assertThat(container(workload("StatefulSet", "redis")).get("image").asString())
			.isEqualTo(composeImage("redis"));
		for (String name : List.of("counter", "gateway")) {
			String compose = KubernetesManifestsTests.compose
				.at("/services/" + name + "/deploy/resources/limits/memory")
				.asString();
			assertThat(container(workload("Deployment", name)).at("/resources/limits/memory").asString())
				.as("%s memory limit", name)
				.isEqualTo(compose.replace("M", "Mi"));
		}
	}

	@Test
	void everyResourceIsLabelledAndEverySelectorFindsItsPods() {
		assertThat(manifests)
			.allSatisfy((resource) -> assertThat(resource.at("/metadata/labels/app.kubernetes.io~1part-of").asString())
				.as("%s %s", resource.get("kind").asString(), resource.at("/metadata/name").asString())
				.isEqualTo("visit-counter"));
		for (JsonNode workload : resources("Deployment", (any) -> true)) {
			assertThat(selects(workload.at("/spec/selector/matchLabels"), workload)).isTrue();
		}
		for (JsonNode service : resources("Service", (any) -> true)) {
			List<JsonNode> selected = workloads((workload) -> selects(service.at("/spec/selector"), workload));
			assertThat(selected).as("workloads Service %s selects", service.at("/metadata/name").asString()).hasSize(1);
		}
	}

	private static String composeImage(String service) {
		String image = compose.at("/services/" + service + "/image").asString();
		// ${REGISTRY:-visit-counter}/counter-service:${TAG:-latest} with the defaults
		Matcher variable = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}").matcher(image);
		return variable.replaceAll((match) -> Matcher.quoteReplacement(match.group(1)));
	}

	private static long preStopSeconds(JsonNode container) {
		JsonNode command = container.at("/lifecycle/preStop/exec/command");
		assertThat(command.get(0).asString()).isEqualTo("sleep");
		return Long.parseLong(command.get(1).asString());
	}

	private static long seconds(String duration) {
		assertThat(duration).matches("\\d+s");
		return Long.parseLong(duration.substring(0, duration.length() - 1));
	}

	private static String env(JsonNode container, String name, String otherwise) {
		return container.at("/env")
			.valueStream()
			.filter((variable) -> variable.get("name").asString().equals(name))
			.map((variable) -> variable.get("value").asString())
			.findFirst()
			.orElse(otherwise);
	}

	private static int containerPort(JsonNode container, String name) {
		return container.at("/ports")
			.valueStream()
			.filter((port) -> port.get("name").asString().equals(name))
			.mapToInt((port) -> port.get("containerPort").asInt())
			.findFirst()
			.orElseThrow(() -> new AssertionError("no port named " + name + " in " + container.get("name")));
	}

	/** Whether every label of the selector is on the workload's pods. */
	private static boolean selects(JsonNode selector, JsonNode workload) {
		JsonNode labels = workload.at("/spec/template/metadata/labels");
		return !selector.isEmpty() && selector.properties()
			.stream()
			.allMatch((label) -> label.getValue().equals(labels.get(label.getKey())));
	}

	private static JsonNode container(JsonNode workload) {
		JsonNode containers = workload.at("/spec/template/spec/containers");
		assertThat(containers.size()).as("containers of %s", workload.at("/metadata/name")).isOne();
		return containers.get(0);
	}

	private static JsonNode workload(String kind, String name) {
		return resource(kind, name);
	}

	private static List<JsonNode> workloads(Predicate<JsonNode> filter) {
		List<JsonNode> all = new ArrayList<>(resources("Deployment", filter));
		all.addAll(resources("StatefulSet", filter));
		return all;
	}

	private static JsonNode resource(String kind, String name) {
		List<JsonNode> found = resources(kind, (resource) -> resource.at("/metadata/name").asString().equals(name));
		assertThat(found).as("%s %s", kind, name).hasSize(1);
		return found.get(0);
	}

	private static List<JsonNode> resources(String kind, Predicate<JsonNode> filter) {
		return manifests.stream()
			.filter((resource) -> resource.get("kind").asString().equals(kind))
			.filter(filter)
			.toList();
	}

	private static JsonNode yaml(String file) throws IOException {
		return YAML.readTree(Files.readString(ROOT.resolve(file)));
	}

	private static ComposeStack.Result run(String... command) {
		try {
			return ComposeStack.run(Duration.ofMinutes(1), Map.of(), ROOT, List.of(command));
		}
		catch (RuntimeException ex) {
			// No such program
			return new ComposeStack.Result(List.of(command), -1, ex.getMessage());
		}
	}

}
