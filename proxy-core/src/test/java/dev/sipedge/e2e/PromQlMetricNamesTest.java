package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard test relies on, on the shapes the dashboard uses. */
class PromQlMetricNamesTest {

    @Test
    void aRateSummedByALabel() {
        assertEquals(Set.of("sipedge_requests_received_total"), PromQlMetricNames.of(
                "sum by (method) (rate(sipedge_requests_received_total{instance=~\"$instance\"}[$__rate_interval]))"));
    }

    @Test
    void bothSidesOfARatioAndOfAnAnd() {
        assertEquals(Set.of("jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count", "up"), PromQlMetricNames.of(
                "sum by (gc) (rate(jvm_gc_pause_seconds_sum[5m])) / on (gc) group_left (x) "
                        + "sum by (gc) (rate(jvm_gc_pause_seconds_count[5m])) > 0.2 and up{job=\"a b\"} == 1"));
    }

    @Test
    void labelNamesValuesNumbersDurationsAndKeywordsAreNotMetrics() {
        assertEquals(Set.of("x_total"), PromQlMetricNames.of(
                "max without (cause) (x_total{cause=~\"caller_bye|expired\"} offset 5m) > 1e3 unless bool 2.5"));
        assertEquals(Set.of("a", "b"), PromQlMetricNames.of("a>0 or\nb"));
    }

    @Test
    void aGrafanaVariableQueryNamesItsMetric() {
        assertEquals(Set.of("sipedge_requests_received_total"),
                PromQlMetricNames.ofVariableQuery("label_values(sipedge_requests_received_total, instance)"));
        assertEquals(Set.of(), PromQlMetricNames.ofVariableQuery("label_values(instance)"));
    }
}
