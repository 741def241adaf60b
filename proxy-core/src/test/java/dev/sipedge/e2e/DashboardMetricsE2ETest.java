package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every metric the Grafana dashboard ({@code docker/grafana/dashboards/sipedge.json}) and the
 * Prometheus alert rules ({@code docker/prometheus/alerts.yml}) query is exported by the real
 * proxy after a few calls. The files are read from the repository (their YAML and JSON must
 * parse), the metric names taken from each PromQL expression, and compared with one scrape of
 * {@code /metrics}. The proxy runs with a profile and a tracked route, as the dashboard assumes.
 *
 * <p>JVM GC pause meters are registered by Micrometer at the first collection (their labels are
 * the collector's and the cause's): a production start always collects during the warm-up, and
 * this one runs a warm-up of 2,000 calls in a 256 MB heap, which allocates several times the
 * young generation.
 */
@Tag("e2e")
class DashboardMetricsE2ETest {

    private static final int CALLS = 5;
    /** Series Prometheus makes itself, not the proxy. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final String CONFIG = """
            sipedge.warmup.calls = 2000
            sipedge.dialog.profiles.with-value = [caller]
            sipedge.routes = [
              { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@"
                dialog { track = true, profiles = [ { name = caller, value = "${from.user}" } ] } }
            ]
            """;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws IOException {
        Path root = E2eEnvironment.repositoryRoot();
        Map<String, Set<String>> dashboard = dashboardMetrics(root.resolve("docker/grafana/dashboards/sipedge.json"));
        Map<String, Set<String>> alerts = alertMetrics(root.resolve("docker/prometheus/alerts.yml"));
        // the extraction found what the files are about, so an empty comparison cannot pass
        assertTrue(union(dashboard).containsAll(Set.of("sipedge_requests_received_total",
                "sipedge_dialogs_ended_total", "jvm_gc_pause_seconds_max", "jvm_memory_used_bytes")),
                dashboard::toString);
        assertTrue(union(alerts).containsAll(Set.of("sipedge_dialog_pings_failed_total", "jvm_gc_pause_seconds_sum")),
                alerts::toString);

        Path work = E2eEnvironment.newWorkDir("dashboard");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG)) {
            CallRun.run(work, proxy, "basic", uasPort, new SippProcess.Options()
                    .transport("u1").calls(CALLS).rate(10).holdMs(50).timeout(Duration.ofSeconds(30)))
                    .assertAllSucceeded(CALLS);
            Set<String> exported = exportedNames(proxy.scrapeMetrics());

            Map<String, Set<String>> missing = new TreeMap<>();
            dashboard.forEach((where, names) ->
                    absent(names, exported).ifPresent(m -> missing.put("dashboard " + where, m)));
            alerts.forEach((where, names) ->
                    absent(names, exported).ifPresent(m -> missing.put("alert " + where, m)));
            assertEquals(Map.of(), missing, "queried but not in /metrics (exported: "
                    + exported.stream().filter(n -> n.startsWith("sipedge_") || n.startsWith("jvm_gc"))
                    .collect(Collectors.joining(", ")) + ")");
        }
    }

    /** Panel title (or variable name) to the metric names its queries read. */
    private static Map<String, Set<String>> dashboardMetrics(Path file) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        Map<String, Set<String>> out = new TreeMap<>();
        collectPanels(dashboard.path("panels"), out);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            out.put("variable $" + variable.path("name").asText(), PromQlMetricNames.ofVariableQuery(text));
        }
        return out;
    }

    private static void collectPanels(JsonNode panels, Map<String, Set<String>> out) {
        for (JsonNode panel : panels) {
            collectPanels(panel.path("panels"), out);   // panels inside a collapsed row
            Set<String> names = new TreeSet<>();
            for (JsonNode target : panel.path("targets")) {
                names.addAll(PromQlMetricNames.of(target.path("expr").asText()));
            }
            if (!"row".equals(panel.path("type").asText())) {
                assertFalse(names.isEmpty(), "panel '" + panel.path("title").asText() + "' queries no metric");
                out.put("panel '" + panel.path("title").asText() + "'", names);
            }
        }
    }

    /** Alert name to the metric names of its expression. */
    private static Map<String, Set<String>> alertMetrics(Path file) throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText(rule.path("record").asText());
                assertTrue(rule.path("expr").isTextual(), "rule " + name + " has no expr");
                assertTrue(rule.path("annotations").path("description").isTextual(),
                        "rule " + name + " tells the operator nothing");
                out.put(name, PromQlMetricNames.of(rule.path("expr").asText()));
            }
        }
        assertFalse(out.isEmpty(), "no rules in " + file);
        return out;
    }

    private static Set<String> exportedNames(SipedgeProcess.Metrics scrape) {
        return scrape.text().lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{\\s]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Optional<Set<String>> absent(Set<String> names, Set<String> exported) {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(exported);
        missing.removeAll(PROMETHEUS_OWN);
        return missing.isEmpty() ? Optional.empty() : Optional.of(missing);
    }

    private static Set<String> union(Map<String, Set<String>> byPlace) {
        Set<String> all = new TreeSet<>();
        byPlace.values().forEach(all::addAll);
        return all;
    }
}
