package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import dev.deckhand.local.simulate.RunResult.DrainTiming;
import dev.deckhand.local.simulate.RunResult.LaunchActivity;
import dev.deckhand.local.simulate.RunResult.ServiceOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The comparison simulate prints and the report shows: one row per measure, one column per run.
 */
final class Summary {

    record Row(String measure, List<String> values) {
    }

    private final Scenario scenario;
    private final List<RunResult> runs;

    Summary(Scenario scenario, List<RunResult> runs) {
        this.scenario = scenario;
        this.runs = runs;
    }

    List<String> columns() {
        return runs.stream().map(RunResult::label).toList();
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        row(rows, "Spot interruptions / rebalance recommendations", run -> planned(Scenario.SpotStorm.class) + " / " + planned(Scenario.RebalanceWave.class));
        row(rows, "tasks moved gracefully (off a DRAINING instance)", run -> Integer.toString(run.tasksMovedGracefully()));
        row(rows, "tasks killed while still serving (RUNNING / mid-stop)", run -> run.tasksKilledWhileServing() + " ("
                + run.tasksKilled() + " / " + (run.tasksKilledWhileServing() - run.tasksKilled()) + ")");
        row(rows, "instances left DRAINING at the end", run -> Integer.toString(run.instancesLeftDraining()));
        row(rows, "instances reclaimed / replacements registered", run -> run.instancesReclaimed() + " / " + run.replacementsRegistered());
        row(rows, "services that dipped below desired", run -> run.services().values().stream().filter(s -> s.dip() > 0).count()
                + " of " + run.services().size());
        row(rows, "worst dip (tasks below desired)", Summary::worstDip);
        row(rows, "lowest running service tasks (desired)", run -> {
            int lowest = run.samples().stream().mapToInt(RunResult.Sample::runningTasks).min().orElse(0);
            int desired = run.samples().isEmpty() ? 0 : run.samples().get(0).desiredTasks();
            return lowest + " (" + desired + ")";
        });
        row(rows, "steps a task could not be placed", run -> Integer.toString(run.services().values().stream().mapToInt(ServiceOutcome::unplaceable).sum()));
        row(rows, "event to drain: median / max", Summary::drainTimes);
        row(rows, "signalled instances never drained", run -> run.deckhand()
                ? Long.toString(run.drains().stream().filter(d -> d.drainedAt() == null).count()) : "all (nothing drains)");
        if (rotationInPlay()) {
            rotationRows(rows);
        }
        row(rows, "AWS calls per event, by detail-type", Summary::callsPerEvent);
        row(rows, "invocations (failed, retried)", run -> {
            List<Delivery> invoked = run.deliveries().stream().filter(d -> d.rule() != null).toList();
            return invoked.size() + " (" + invoked.stream().filter(Delivery::error).count() + ", "
                    + invoked.stream().filter(d -> d.attempt() > 0).count() + ")";
        });
        row(rows, "events routed to no function", run -> {
            Map<String, Integer> unrouted = new TreeMap<>();
            run.deliveries().stream().filter(d -> d.rule() == null).forEach(d -> unrouted.merge(d.detailType(), 1, Integer::sum));
            return unrouted.isEmpty() ? (run.deckhand() ? "0" : "-") : unrouted.toString().replaceAll("[{}]", "");
        });
        row(rows, "records in a failure queue", run -> run.deckhand() ? failures(run) : "-");
        row(rows, "faults injected", run -> run.faultsInjected().isEmpty() ? "-" : run.faultsInjected().toString().replaceAll("[{}]", ""));
        row(rows, "cold starts", run -> run.coldStarts().isEmpty() ? "-" : String.join(", ", run.coldStarts().entrySet().stream()
                .map(e -> e.getKey().replace("Function", "") + " " + e.getValue().toMillis() + " ms").toList()));
        row(rows, "run time (seeding)", run -> seconds(run.wallTime()) + " (" + seconds(run.seeding()) + ")");
        return rows;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("scenario ").append(scenario.name()).append(": ").append(scenario.clusterCount()).append(" clusters, ")
                .append(scenario.instanceCount()).append(" instances, ").append(Text.duration(scenario.duration())).append(" simulated\n");
        for (Scenario.TimelineEntry entry : scenario.timeline()) {
            out.append("  at ").append(Text.clock(entry.at())).append("  ").append(entry.describe()).append('\n');
        }
        List<Row> rows = rows();
        int first = rows.stream().mapToInt(r -> r.measure().length()).max().orElse(10);
        List<Integer> widths = new ArrayList<>();
        for (int c = 0; c < runs.size(); c++) {
            int column = c;
            widths.add(Math.max(columns().get(c).length(), rows.stream().mapToInt(r -> r.values().get(column).length()).max().orElse(0)));
        }
        out.append('\n').append(pad("", first));
        for (int c = 0; c < runs.size(); c++) {
            out.append(" | ").append(pad(columns().get(c), widths.get(c)));
        }
        out.append('\n').append("-".repeat(first));
        for (int width : widths) {
            out.append("-+-").append("-".repeat(width));
        }
        out.append('\n');
        for (Row row : rows) {
            out.append(pad(row.measure(), first));
            for (int c = 0; c < runs.size(); c++) {
                out.append(" | ").append(pad(row.values().get(c), widths.get(c)));
            }
            out.append('\n');
        }
        List<String> dips = dipsByService();
        if (!dips.isEmpty()) {
            out.append("\nworst dip per service (tasks below desired; all clusters):\n");
            dips.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        for (RunResult run : runs) {
            List<String> story = rotationStory(run);
            if (!story.isEmpty()) {
                out.append("\nrotation, launches and tickets (").append(run.label()).append("):\n");
                story.forEach(line -> out.append("  ").append(line).append('\n'));
            }
        }
        for (RunResult run : runs) {
            for (String note : run.notes()) {
                out.append("note (").append(run.label()).append("): ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    /** Per service name, the worst dip over its clusters in each run. */
    List<String> dipsByService() {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (int c = 0; c < runs.size(); c++) {
            for (ServiceOutcome service : runs.get(c).services().values()) {
                lines.computeIfAbsent(service.service(), s -> new ArrayList<>());
            }
        }
        List<String> out = new ArrayList<>();
        for (String service : lines.keySet()) {
            StringBuilder line = new StringBuilder(pad(service, 16));
            for (RunResult run : runs) {
                int worst = 0;
                int killed = 0;
                int desired = 0;
                for (ServiceOutcome outcome : run.services().values()) {
                    if (outcome.service().equals(service)) {
                        worst = Math.max(worst, outcome.dip());
                        killed += outcome.killed();
                        desired = Math.max(desired, outcome.desired());
                    }
                }
                line.append("  ").append(run.label()).append(": ").append(worst).append(" of ").append(desired)
                        .append(", ").append(killed).append(" killed");
            }
            out.add(line.toString());
        }
        return out;
    }

    /** Whether an Auto Scaling group launched, a managed launch template exists, or a ticket was opened, in some run. */
    private boolean rotationInPlay() {
        return runs.stream().anyMatch(run -> !run.aftermath().launches().isEmpty() || !run.aftermath().templates().isEmpty()
                || !run.aftermath().tickets().isEmpty());
    }

    private void rotationRows(List<Row> rows) {
        row(rows, "Auto Scaling launches failed / succeeded", run -> {
            List<LaunchActivity> launches = run.aftermath().launches();
            List<LaunchActivity> failed = launches.stream().filter(LaunchActivity::failed).toList();
            return failed.size() + " / " + (launches.size() - failed.size())
                    + (failed.isEmpty() ? "" : " (first failure at " + Text.clock(failed.get(0).at()) + ")");
        });
        row(rows, "rotation started / rolled back (at)", run -> run.deckhand()
                ? at(run.rotationStartedAt()) + " / " + at(run.rolledBackAt()) : "- (nothing rotates)");
        row(rows, "rollback: after the canary started (its deadline)", run -> {
            Duration canary = run.canaryStartedAt();
            Duration deadline = run.aftermath().canaryDeadline();
            if (run.rolledBackAt() == null || canary == null) {
                return "-";
            }
            return Text.duration(run.rolledBackAt().minus(canary)) + (deadline == null ? "" : " (" + Text.duration(deadline)
                    + ", at " + Text.clock(canary.plus(deadline)) + ")");
        });
        row(rows, "tickets opened (open at the end)", run -> run.aftermath().tickets().size() + " ("
                + run.aftermath().tickets().stream().filter(t -> "Open".equals(t.status())).count() + ")");
        row(rows, "launch templates at the end: default version (image)", run -> run.aftermath().templates().isEmpty() ? "-"
                : String.join(", ", run.aftermath().templates().stream().map(t -> t.name() + " v" + t.defaultVersion() + " of "
                + t.latestVersion() + " (" + t.defaultImage() + ")").toList()));
        row(rows, "running instances by image at the end", run -> String.join(", ", run.aftermath().runningByImage().entrySet().stream()
                .map(e -> e.getValue() + " x " + e.getKey()).toList()));
        row(rows, "instances left on the rotated-to image", run -> run.rotatedImages().isEmpty() ? "-"
                : run.runningOnRotatedImages() + " (" + String.join(", ", run.rotatedImages()) + ")");
    }

    private static String at(Duration at) {
        return at == null ? "none" : Text.clock(at);
    }

    /** How many lines of a ticket's body the story shows. */
    static final int EVIDENCE_LINES = 30;

    /**
     * What rotate-ami, the groups and open-ticket did, in order: each run of rotate-ami that changed
     * something, each launch of a scenario group, each ticket open-ticket opened or closed (with its
     * body, the evidence), each retirement drain-instance handled; then the tickets at the end.
     */
    List<String> rotationStory(RunResult run) {
        record Line(Duration at, int order, List<String> text) {
        }
        List<Line> lines = new ArrayList<>();
        // In the order things happened: a launch comes after the deliveries made before it was seen.
        for (int i = 0; i < run.deliveries().size(); i++) {
            List<String> text = storyOf(run.deliveries().get(i));
            if (!text.isEmpty()) {
                lines.add(new Line(run.deliveries().get(i).at(), 2 * i + 1, text));
            }
        }
        for (LaunchActivity launch : run.aftermath().launches()) {
            lines.add(new Line(launch.at(), 2 * launch.afterDeliveries(), List.of(launch.group() + (launch.failed() ? ": launch FAILED: " + launch.statusMessage()
                    : ": launched " + launch.instanceId()))));
        }
        lines.sort(Comparator.comparing(Line::at).thenComparing(Line::order));
        List<String> out = new ArrayList<>();
        for (Line line : lines) {
            out.add("at " + Text.clock(line.at()) + "  " + line.text().get(0));
            line.text().subList(1, line.text().size()).forEach(more -> out.add("           " + more));
        }
        for (RunResult.TicketState ticket : run.aftermath().tickets()) {
            out.add("at the end: ticket " + ticket.id() + " " + ticket.status() + ": " + ticket.title());
        }
        return out;
    }

    private static List<String> storyOf(Delivery delivery) {
        if (delivery.rule() == null || delivery.function() == null) {
            return List.of();
        }
        String who = delivery.function().replace("Function", "").replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                + " (" + shortKind(delivery.detailType()) + ")";
        if (delivery.error()) {
            return RunResult.ROTATE_AMI.equals(delivery.function()) || delivery.detailType().startsWith("EC2 Instance Launch")
                    ? List.of(who + ": FAILED: " + delivery.errorMessage()) : List.of();
        }
        JsonNode result = delivery.result();
        if (result == null) {
            return List.of();
        }
        String decision = result.path("decision").asText();
        List<String> text = new ArrayList<>();
        if (RunResult.ROTATE_AMI.equals(delivery.function())) {
            boolean acted = !result.path("clusters").findValues("retired").stream().allMatch(JsonNode::isEmpty)
                    || !result.path("clusters").findValues("terminated").stream().allMatch(JsonNode::isEmpty)
                    || result.path("templates").findValuesAsText("action").contains("UPDATED") || decision.equals("ROLLED_BACK");
            if (!acted) {
                return List.of();
            }
            text.add(who + ": " + decision + (result.path("reason").asText().isEmpty() ? "" : ": " + result.path("reason").asText()));
            for (JsonNode t : result.path("templates")) {
                if ("UPDATED".equals(t.path("action").asText())) {
                    text.add("template " + t.path("templateName").asText() + ": default v" + t.path("previousVersion").asText() + " -> v"
                            + t.path("defaultVersion").asText() + ", " + t.path("previousImage").asText() + " -> " + t.path("image").asText());
                }
            }
            for (JsonNode c : result.path("clusters")) {
                List<String> parts = new ArrayList<>();
                if (!c.path("retired").isEmpty()) {
                    parts.add("retired " + c.path("retired"));
                }
                if (!c.path("terminated").isEmpty()) {
                    parts.add("terminated " + c.path("terminated"));
                }
                if (c.has("canary")) {
                    parts.add("canary " + c.path("canary").asText());
                }
                if (c.has("rolledBack")) {
                    parts.add("rolled back " + c.path("rolledBack").asText());
                }
                if (!parts.isEmpty()) {
                    text.add(c.path("cluster").asText() + ": " + String.join("; ", parts));
                }
            }
            return text;
        }
        boolean launch = delivery.detailType().startsWith("EC2 Instance Launch") || delivery.detailType().contains("Fleet");
        if ("OpenTicketFunction".equals(delivery.function()) && launch && !decision.equals("IGNORED") && !decision.equals("NOTHING_OPEN")) {
            text.add(who + ": " + decision + (result.path("title").isMissingNode() || result.path("title").isNull()
                    ? ": " + result.path("reason").asText() : " \"" + result.path("title").asText() + "\""));
            List<String> body = result.path("body").asText("").lines().filter(l -> !l.isBlank()).toList();
            body.stream().limit(EVIDENCE_LINES).forEach(l -> text.add("| " + l));
            if (body.size() > EVIDENCE_LINES) {
                text.add("| ... (" + (body.size() - EVIDENCE_LINES) + " more lines)");
            }
            return text;
        }
        if (delivery.detailType().equals("Deckhand Instance Retirement Requested")) {
            return List.of(who + ": " + decision + " " + delivery.subject());
        }
        return List.of();
    }

    private void row(List<Row> rows, String measure, Function<RunResult, String> value) {
        rows.add(new Row(measure, runs.stream().map(value).toList()));
    }

    private static String worstDip(RunResult run) {
        ServiceOutcome worst = run.services().values().stream().max(Comparator.comparingInt(ServiceOutcome::dip)).orElse(null);
        return worst == null || worst.dip() == 0 ? "0" : worst.dip() + " of " + worst.desired() + " (" + worst.cluster() + "/" + worst.service() + ")";
    }

    private int planned(Class<? extends Scenario.TimelineEntry> kind) {
        int count = 0;
        for (Scenario.TimelineEntry entry : scenario.timeline()) {
            if (entry instanceof Scenario.SpotStorm storm && kind == Scenario.SpotStorm.class) {
                count += storm.count();
            } else if (entry instanceof Scenario.RebalanceWave wave && kind == Scenario.RebalanceWave.class) {
                count += wave.count();
            }
        }
        return count;
    }

    private static String drainTimes(RunResult run) {
        if (!run.deckhand()) {
            return "- (no drain)";
        }
        List<Long> millis = new ArrayList<>();
        List<Long> simulated = new ArrayList<>();
        for (DrainTiming timing : run.drains()) {
            if (timing.drainedAt() != null) {
                millis.add(timing.millis());
                simulated.add(timing.drainedAt().minus(timing.signalAt()).toSeconds());
            }
        }
        if (millis.isEmpty()) {
            return "none drained";
        }
        millis.sort(null);
        simulated.sort(null);
        String wait = simulated.get(simulated.size() - 1) == 0 ? "" : ", after " + simulated.get(simulated.size() / 2) + " s / "
                + simulated.get(simulated.size() - 1) + " s of retries";
        return millis.get(millis.size() / 2) + " ms / " + millis.get(millis.size() - 1) + " ms" + wait;
    }

    private static String callsPerEvent(RunResult run) {
        if (!run.deckhand()) {
            return "-";
        }
        Map<String, List<Integer>> byKind = new TreeMap<>();
        for (Delivery delivery : run.deliveries()) {
            if (delivery.rule() != null) {
                byKind.computeIfAbsent(shortKind(delivery.detailType()), k -> new ArrayList<>()).add(delivery.awsCalls());
            }
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, calls) -> {
            double mean = calls.stream().mapToInt(Integer::intValue).average().orElse(0);
            parts.add(kind + " " + String.format("%.1f", mean) + " (max " + calls.stream().mapToInt(Integer::intValue).max().orElse(0) + ")");
        });
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    static String shortKind(String detailType) {
        return switch (detailType) {
            case "EC2 Spot Instance Interruption Warning" -> "Spot warning";
            case "EC2 Instance Rebalance Recommendation" -> "rebalance";
            case "ECS Deployment State Change" -> "deployment";
            case "ECS Container Instance State Change" -> "new capacity";
            case "EC2 Instance Launch Unsuccessful" -> "launch failed";
            case "EC2 Instance Launch Successful" -> "launched";
            case "Parameter Store Change" -> "parameter change";
            case "Deckhand Instance Retirement Requested" -> "retirement";
            case "Scheduled Event" -> "schedule";
            default -> detailType;
        };
    }

    private static String failures(RunResult run) {
        if (run.failureRecords().isEmpty()) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        run.failureRecords().forEach((queue, records) -> parts.add(queue + " " + records.size()));
        return String.join(", ", parts);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
