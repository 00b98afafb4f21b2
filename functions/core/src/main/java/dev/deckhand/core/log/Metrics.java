package dev.deckhand.core.log;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON line per metric on standard output,
 * which CloudWatch Logs turns into a metric in the {@code Deckhand} namespace. No API call, no
 * agent.
 *
 * <pre>{@code
 * metrics.count("Decisions", Map.of("Signal", "SpotInterruption", "Decision", "DRAIN"));
 * }</pre>
 */
public final class Metrics {

    public static final String NAMESPACE = "Deckhand";

    private final String function;
    private final Clock clock;

    public Metrics(String function, Clock clock) {
        this.function = function;
        this.clock = clock;
    }

    public void count(String metric, Map<String, String> dimensions) {
        put(metric, 1, "Count", dimensions);
    }

    public void put(String metric, double value, String unit, Map<String, String> dimensions) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Function", function);
        all.putAll(dimensions);
        StringBuilder line = new StringBuilder(256);
        line.append("{\"_aws\":{\"Timestamp\":").append(clock.millis())
                .append(",\"CloudWatchMetrics\":[{\"Namespace\":\"").append(NAMESPACE).append("\",\"Dimensions\":[[");
        boolean first = true;
        for (String key : all.keySet()) {
            line.append(first ? "" : ",");
            Json.string(line, key);
            first = false;
        }
        line.append("]],\"Metrics\":[{\"Name\":");
        Json.string(line, metric);
        line.append(",\"Unit\":");
        Json.string(line, unit);
        line.append("}]}]}");
        all.forEach((key, dimension) -> {
            line.append(',');
            Json.string(line, key);
            line.append(':');
            Json.string(line, dimension);
        });
        line.append(',');
        Json.string(line, metric);
        line.append(':').append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value)).append('}');
        System.out.println(line);
    }
}
