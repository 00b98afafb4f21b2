package dev.deckhand.local.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.replay.ReplayCommand.Outcome;
import dev.deckhand.local.scheduler.SchedulerEvent;
import java.time.Duration;
import java.time.Instant;
import dev.deckhand.local.template.RuleSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Prints a replay for a person: what matched, what the function said, what it returned, what changed. */
final class ReplayPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LOG_FIELDS_SHOWN_INLINE = Set.of("time", "level", "logger", "message", "requestId", "eventId");

    private final PrintStream out;

    ReplayPrinter(PrintStream out) {
        this.out = out;
    }

    void print(Outcome outcome, ReplayOptions options) {
        JsonNode event = outcome.event();
        out.printf("event      %s / %s  (id %s)%n", event.path("source").asText(), event.path("detail-type").asText(),
                event.path("id").asText());
        out.printf("time       %s%s%n", event.path("time").asText(), options.keepTime() ? "" : "  (set to now; --keep-time keeps the file's)");
        out.printf("aws        %s%n", options.endpoint() == null ? "emulator (moto_server on loopback), demo account seeded"
                : options.endpoint().equals("aws") ? "real AWS endpoints, the SDK's usual credentials" : options.endpoint());
        if (!outcome.routed()) {
            out.println("rule       none: no rule in template.yaml matches this event; nothing is invoked");
            return;
        }
        if (!outcome.history().isEmpty()) {
            out.printf("%nhistory (--history: replayed first, on the same emulator, at these times)%n");
            for (ReplayCommand.HistoryStep step : outcome.history()) {
                JsonNode result = ReplayCommand.parseOrText(step.invocation().body());
                out.printf("  %s  %-40s %s: %s%n", step.time(), step.detailType(), step.rule(), step.invocation().error()
                        ? "FAILED (" + step.invocation().errorType() + ")" : result.path("decision").asText("ok"));
                step.invocation().logLines().stream().map(ReplayPrinter::logLine).filter(line -> !line.startsWith("metric "))
                        .filter(line -> line.contains("raise") || line.contains("retire") || line.contains("hand back")
                                || line.contains("no change") || line.contains("drain"))
                        .forEach(line -> out.println("      " + line));
            }
            out.println();
        }
        for (RuleSpec rule : outcome.rules()) {
            out.printf("rule       %s -> %s%n", rule.name(), rule.functionLogicalId());
        }
        if (outcome.coldStart() != null) {
            out.printf("cold start %d ms (new JVM through the Lambda runtime client to its first poll)%n", outcome.coldStart().toMillis());
        }
        outcome.attempts().forEach((rule, attempts) -> {
            for (int i = 0; i < attempts.size(); i++) {
                Invocation invocation = attempts.get(i);
                out.printf("%n%s, attempt %d of %d: %s in %d ms%n", rule, i + 1, attempts.size(),
                        invocation.error() ? "FAILED (" + invocation.errorType() + ")" : "ok", invocation.duration().toMillis());
                out.println("log");
                invocation.logLines().forEach(line -> out.println("  " + logLine(line)));
                out.println(invocation.error() ? "error" : "result");
                out.println(indent(pretty(invocation.body())));
            }
            if (attempts.size() > 1) {
                out.println("(Lambda retries a failed asynchronous invocation about 1 and 2 minutes later; replay retries at once)");
            }
        });
        if (!outcome.rechecks().isEmpty()) {
            out.printf("%nqueue deliveries (Lambda's SQS event source; the delays are skipped in simulated time)%n");
            for (ReplayCommand.Recheck recheck : outcome.rechecks()) {
                Invocation invocation = recheck.invocation();
                out.printf("  %-6s %s: %s in %d ms%n", "+" + recheck.secondsAfterEvent() + "s", recheck.queue(),
                        invocation.error() ? "FAILED (" + invocation.errorType() + ")" : "ok", invocation.duration().toMillis());
                invocation.logLines().stream().map(ReplayPrinter::logLine).filter(line -> !line.startsWith("metric "))
                        .forEach(line -> out.println("         " + line));
            }
        }
        if (!outcome.faultsInjected().isEmpty()) {
            out.printf("%nfaults     injected between the function and AWS: %s; calls that reached AWS: %s;"
                    + " of them acted on but their answer lost (the SDK sent each again): %s%n",
                    outcome.faultsInjected(), outcome.callsReachingAws(), outcome.answersLost());
        }
        outcome.failureQueueRecords().forEach((queue, record) ->
                out.printf("%nfailure    retries exhausted: the event and its error went to %s%n", queue));
        printTimeline(outcome);
        printInstances(outcome);
    }

    private void printTimeline(Outcome outcome) {
        if (outcome.timeline().isEmpty()) {
            return;
        }
        Instant time = Instant.parse(outcome.event().path("time").asText());
        out.printf("%nafter the event (local ECS scheduler and EC2, simulated time)%n");
        for (SchedulerEvent step : outcome.timeline()) {
            String where = step.cluster() == null ? "" : step.cluster() + (step.service() == null ? "" : "/" + step.service()) + " ";
            String task = step.taskArn() == null ? "" : "task " + step.taskArn().substring(step.taskArn().lastIndexOf('/') + 1, step.taskArn().lastIndexOf('/') + 9) + " ";
            String instance = step.ec2InstanceId() == null ? "" : "on " + step.ec2InstanceId() + " ";
            out.printf("  %-6s %-20s %s%s%s%s%n", "+" + Duration.between(time, step.at()).toSeconds() + "s", step.kind(), where, task, instance,
                    step.detail() == null ? "" : "(" + step.detail() + ")");
        }
    }

    private void printInstances(Outcome outcome) {
        String named = outcome.event().path("detail").path("instance-id").asText(
                outcome.event().path("detail").path("EC2InstanceId").asText(""));
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, InstanceRow> entry : outcome.after().entrySet()) {
            InstanceRow after = entry.getValue();
            InstanceRow before = outcome.before().get(entry.getKey());
            boolean changed = before == null || !Objects.equals(before, after);
            if (changed || entry.getKey().equals(named)) {
                rows.add(new String[] {after.cluster(), after.ec2InstanceId(), after.availabilityZone(), after.market(),
                        before == null ? "(new) " + after.status() : change(before.status(), after.status()),
                        before == null ? Integer.toString(after.runningTasks()) : change(Integer.toString(before.runningTasks()),
                                Integer.toString(after.runningTasks()))});
            }
        }
        for (String gone : outcome.before().keySet()) {
            if (!outcome.after().containsKey(gone)) {
                InstanceRow before = outcome.before().get(gone);
                rows.add(new String[] {before.cluster(), gone, before.availabilityZone(), before.market(),
                        before.status() + " -> (gone)", Integer.toString(before.runningTasks())});
            }
        }
        out.printf("%ncontainer instances: %d in all, %d shown (changed, or named by the event)%n",
                outcome.after().size(), rows.size());
        if (rows.isEmpty()) {
            return;
        }
        String format = "  %-11s %-20s %-11s %-10s %-22s %s%n";
        out.printf(format, "CLUSTER", "INSTANCE", "AZ", "MARKET", "STATUS", "TASKS");
        for (String[] row : rows) {
            out.printf(format, (Object[]) row);
        }
    }

    private static String change(String before, String after) {
        return before.equals(after) ? after : before + " -> " + after;
    }

    /** A JSON log line as {@code LEVEL logger message key=value ...}; an EMF line as a metric; anything else as is. */
    static String logLine(String line) {
        JsonNode node = ReplayCommand.parseOrText(line);
        if (!node.isObject()) {
            return line;
        }
        if (node.has("_aws")) {
            JsonNode directive = node.path("_aws").path("CloudWatchMetrics").path(0);
            String metric = directive.path("Metrics").path(0).path("Name").asText();
            List<String> dimensions = new ArrayList<>();
            directive.path("Dimensions").path(0).forEach(d -> {
                if (!d.asText().equals("Function")) {
                    dimensions.add(d.asText() + "=" + node.path(d.asText()).asText());
                }
            });
            return "metric " + metric + "{" + String.join(",", dimensions) + "} " + node.path(metric).asText();
        }
        if (!node.has("level") || !node.has("message")) {
            return line;
        }
        StringBuilder text = new StringBuilder(String.format("%-5s %s: %s", node.get("level").asText(),
                node.path("logger").asText(), node.get("message").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!LOG_FIELDS_SHOWN_INLINE.contains(field.getKey()) && !field.getValue().isNull()) {
                if (field.getKey().equals("stackTrace")) {
                    text.append("\n").append(indent(field.getValue().asText()));
                } else {
                    text.append("  ").append(field.getKey()).append('=')
                            .append(field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
                }
            }
        }
        return text.toString();
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (Exception e) {
            return body;
        }
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
