package dev.deckhand.local.simulate;

import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code deckhand simulate SCENARIO.yaml}: runs a scenario on the emulator with the local
 * scheduler, once with Deckhand and once without, prints the comparison and writes a
 * self-contained HTML report.
 */
public final class SimulateCommand {

    private final Path home;

    public SimulateCommand(Path home) {
        this.home = home;
    }

    public int run(SimulateOptions options, PrintStream out, PrintStream progress) throws IOException {
        Scenario scenario = ScenarioParser.parse(options.scenario());
        List<RunResult> runs = simulate(scenario, options, options.quiet() ? null : progress);
        Summary summary = new Summary(scenario, runs);
        out.print(summary.text());
        Path report = options.report().toAbsolutePath();
        if (report.getParent() != null) {
            Files.createDirectories(report.getParent());
        }
        Files.writeString(report, new HtmlReport(scenario, runs, summary).html());
        out.println("report: " + report);
        return runs.stream().anyMatch(run -> run.deckhand() && run.failureQueueRecords() > 0) ? 1 : 0;
    }

    /** The runs the options ask for: with Deckhand, then without. */
    public List<RunResult> simulate(Scenario scenario, SimulateOptions options, PrintStream progress) {
        Map<String, String> parameters = new LinkedHashMap<>(scenario.parameters());
        parameters.putAll(options.parameters());   // the command line wins over the scenario file
        SamTemplate template = SamTemplate.load(home.resolve("template.yaml"), parameters, scenario.region());
        Consumer<String> line = progress == null ? text -> { } : new ProgressLine(progress);
        List<RunResult> runs = new ArrayList<>();
        for (boolean deckhand : new boolean[] {true, false}) {
            if (options.only() != null && options.only().equals("with") != deckhand) {
                continue;
            }
            runs.add(new SimulationRun(scenario, template, deckhand, options.faults(), options.faultSeed(), line).run());
            if (progress != null) {
                progress.println();
            }
        }
        return runs;
    }

    /** One line, rewritten in place at most a few times a second. */
    private static final class ProgressLine implements Consumer<String> {
        private final PrintStream out;
        private long last;
        private int width;

        ProgressLine(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String text) {
            long now = System.nanoTime();
            if (now - last < 200_000_000L) {
                return;
            }
            last = now;
            out.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
            width = text.length();
            out.flush();
        }
    }
}
