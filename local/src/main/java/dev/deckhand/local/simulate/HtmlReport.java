package dev.deckhand.local.simulate;

import dev.deckhand.local.simulate.RunResult.Sample;
import dev.deckhand.local.simulate.RunResult.ServiceOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The report simulate writes: one HTML file with inline SVG charts and inline CSS, nothing
 * fetched, so it opens offline. For each run side by side: running service tasks over time
 * (the lowest moment of each step, against the desired count) and instances by state (ACTIVE,
 * DRAINING, gone; a line for those whose Spot reclaim is pending), the timeline's moments marked;
 * then the summary table, each service's worst moment, and what reached a failure queue.
 */
final class HtmlReport {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 220;
    private static final int LEFT = 48;
    private static final int BOTTOM = 24;

    private final Scenario scenario;
    private final List<RunResult> runs;
    private final Summary summary;

    HtmlReport(Scenario scenario, List<RunResult> runs, Summary summary) {
        this.scenario = scenario;
        this.runs = runs;
        this.summary = summary;
    }

    String html() {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>deckhand simulate: ")
                .append(escape(scenario.name())).append("</title>\n<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
                .append(".runs{display:flex;gap:24px;flex-wrap:wrap}.run{flex:1;min-width:560px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}")
                .append(".legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}")
                .append("pre{background:#f7f7f7;padding:8px;white-space:pre-wrap;word-break:break-all;max-height:240px;overflow:auto}")
                .append("</style></head><body>\n");
        out.append("<h1>deckhand simulate: ").append(escape(scenario.name())).append("</h1>\n<p>").append(escape(scenario.description()))
                .append("</p>\n<p>").append(scenario.clusterCount()).append(" clusters, ").append(scenario.instanceCount())
                .append(" instances, ").append(escape(Text.duration(scenario.duration()))).append(" simulated in steps of ")
                .append(escape(Text.duration(scenario.tick()))).append(".</p>\n<ul>");
        for (Scenario.TimelineEntry entry : scenario.timeline()) {
            out.append("<li>").append(Text.clock(entry.at())).append(": ").append(escape(entry.describe())).append("</li>");
        }
        out.append("</ul>\n<div class=\"runs\">");
        int maxTasks = runs.stream().flatMap(r -> r.samples().stream()).mapToInt(s -> Math.max(s.runningTasks(), s.desiredTasks())).max().orElse(1);
        int minTasks = runs.stream().flatMap(r -> r.samples().stream()).mapToInt(Sample::runningTasks).min().orElse(0);
        // The task axis starts near the lowest moment, so that a dip of a few tasks in thousands shows.
        int taskFloor = Math.max(0, minTasks - Math.max(2, maxTasks - minTasks));
        int maxInstances = runs.stream().flatMap(r -> r.samples().stream()).mapToInt(s -> s.active() + s.draining() + s.gone()).max().orElse(1);
        for (RunResult run : runs) {
            out.append("<div class=\"run\"><h2>").append(escape(run.label())).append("</h2>\n");
            out.append("<div>Running service tasks (lowest moment of each step) and desired</div>");
            out.append(tasksChart(run, taskFloor, maxTasks));
            out.append("<div class=\"legend\"><span><i class=\"sw\" style=\"background:#2a7\"></i>running</span>")
                    .append("<span><i class=\"sw\" style=\"background:#999\"></i>desired</span></div>");
            out.append("<div style=\"margin-top:12px\">Instances by state</div>");
            out.append(instancesChart(run, maxInstances));
            out.append("<div class=\"legend\"><span><i class=\"sw\" style=\"background:#4a8\"></i>ACTIVE</span>")
                    .append("<span><i class=\"sw\" style=\"background:#e92\"></i>DRAINING</span>")
                    .append("<span><i class=\"sw\" style=\"background:#bbb\"></i>gone (reclaimed)</span>")
                    .append("<span><i class=\"sw\" style=\"background:#c22\"></i>Spot reclaim pending</span></div></div>");
        }
        out.append("</div>\n<h2>Summary</h2>\n<table><tr><th></th>");
        summary.columns().forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("</tr>");
        for (Summary.Row row : summary.rows()) {
            out.append("<tr><td>").append(escape(row.measure())).append("</td>");
            row.values().forEach(v -> out.append("<td>").append(escape(v)).append("</td>"));
            out.append("</tr>");
        }
        out.append("</table>\n");
        for (RunResult run : runs) {
            List<String> story = summary.rotationStory(run);
            if (!story.isEmpty()) {
                out.append("<h2>Rotation, launches and tickets (").append(escape(run.label())).append(")</h2>\n<pre>");
                story.forEach(line -> out.append(escape(line)).append('\n'));
                out.append("</pre>\n");
            }
        }
        for (RunResult run : runs) {
            for (String note : run.notes()) {
                out.append("<p><b>Note (").append(escape(run.label())).append("):</b> ").append(escape(note)).append("</p>");
            }
        }
        out.append("<h2>Services</h2>\n<table><tr><th>cluster / service</th><th>desired</th>");
        for (RunResult run : runs) {
            out.append("<th>").append(escape(run.label())).append(": lowest / killed / moved gracefully</th>");
        }
        out.append("</tr>");
        for (String key : runs.get(0).services().keySet()) {
            ServiceOutcome first = runs.get(0).services().get(key);
            out.append("<tr><td>").append(escape(key)).append("</td><td>").append(first.desired()).append("</td>");
            for (RunResult run : runs) {
                ServiceOutcome outcome = run.services().get(key);
                out.append("<td>").append(outcome == null ? "-" : outcome.lowest() + " / " + outcome.killed() + " / " + outcome.movedGracefully())
                        .append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</table>\n<h2>Failure queues</h2>\n");
        boolean any = false;
        for (RunResult run : runs) {
            for (var entry : run.failureRecords().entrySet()) {
                for (String record : entry.getValue()) {
                    any = true;
                    out.append("<p>").append(escape(run.label())).append(", ").append(escape(entry.getKey())).append(":</p><pre>")
                            .append(escape(record.length() > 4000 ? record.substring(0, 4000) + "..." : record)).append("</pre>");
                }
            }
        }
        if (!any) {
            out.append("<p>Nothing reached a failure queue.</p>");
        }
        out.append("</body></html>\n");
        return out.toString();
    }

    private String tasksChart(RunResult run, int floor, int max) {
        StringBuilder svg = frame(floor, max);
        svg.append(line(run.samples(), Sample::desiredTasks, floor, max, "#999", "4 3"));
        svg.append(line(run.samples(), Sample::runningTasks, floor, max, "#2a7", null));
        return svg.append("</svg>").toString();
    }

    private String instancesChart(RunResult run, int max) {
        StringBuilder svg = frame(0, max);
        List<Sample> samples = run.samples();
        svg.append(area(samples, s -> 0, Sample::active, max, "#4a8"));
        svg.append(area(samples, Sample::active, s -> s.active() + s.draining(), max, "#e92"));
        svg.append(area(samples, s -> s.active() + s.draining(), s -> s.active() + s.draining() + s.gone(), max, "#bbb"));
        svg.append(line(samples, Sample::doomed, 0, max, "#c22", null));
        return svg.append("</svg>").toString();
    }

    private StringBuilder frame(int floor, int max) {
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT
                + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" font-size=\"10\">");
        int plotHeight = HEIGHT - BOTTOM - 8;
        for (int i = 0; i <= 4; i++) {
            double y = 8 + plotHeight - plotHeight * i / 4.0;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - 8).append("\" y1=\"").append(fmt(y)).append("\" y2=\"")
                    .append(fmt(y)).append("\" stroke=\"#eee\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(fmt(y + 3))
                    .append("\" text-anchor=\"end\">").append(Math.round(floor + (max - floor) * i / 4.0)).append("</text>");
        }
        long total = Math.max(1, scenario.duration().toSeconds());
        for (int i = 0; i <= 5; i++) {
            double x = x(total * i / 5, total);
            svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - 8).append("\" text-anchor=\"middle\">")
                    .append(Text.clock(Duration.ofSeconds(total * i / 5))).append("</text>");
        }
        for (Scenario.TimelineEntry entry : scenario.timeline()) {
            double x = x(entry.at().toSeconds(), total);
            svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"8\" y2=\"").append(8 + plotHeight)
                    .append("\" stroke=\"#36c\" stroke-dasharray=\"2 3\"><title>").append(escape(Text.clock(entry.at()) + " " + entry.describe()))
                    .append("</title></line>");
        }
        return svg;
    }

    private String line(List<Sample> samples, ToIntFunction<Sample> value, int floor, int max, String color, String dash) {
        StringBuilder points = new StringBuilder();
        long total = Math.max(1, scenario.duration().toSeconds());
        for (Sample sample : samples) {
            points.append(fmt(x(sample.at().toSeconds(), total))).append(',').append(fmt(y(value.applyAsInt(sample) - floor, max - floor))).append(' ');
        }
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.5\"" + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
                + " points=\"" + points.toString().trim() + "\"/>";
    }

    private String area(List<Sample> samples, ToIntFunction<Sample> low, ToIntFunction<Sample> high, int max, String color) {
        StringBuilder points = new StringBuilder();
        long total = Math.max(1, scenario.duration().toSeconds());
        for (Sample sample : samples) {
            points.append(fmt(x(sample.at().toSeconds(), total))).append(',').append(fmt(y(high.applyAsInt(sample), max))).append(' ');
        }
        for (int i = samples.size() - 1; i >= 0; i--) {
            Sample sample = samples.get(i);
            points.append(fmt(x(sample.at().toSeconds(), total))).append(',').append(fmt(y(low.applyAsInt(sample), max))).append(' ');
        }
        return "<polygon fill=\"" + color + "\" stroke=\"none\" points=\"" + points.toString().trim() + "\"/>";
    }

    private static double x(long seconds, long total) {
        return LEFT + (WIDTH - LEFT - 8) * (double) seconds / total;
    }

    private static double y(int value, int max) {
        int plotHeight = HEIGHT - BOTTOM - 8;
        return 8 + plotHeight - plotHeight * (double) value / Math.max(1, max);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
