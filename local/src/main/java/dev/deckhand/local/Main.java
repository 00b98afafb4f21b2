package dev.deckhand.local;

import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.bench.BenchCommand;
import dev.deckhand.local.failures.FailuresCommand;
import dev.deckhand.local.failures.FailuresOptions;
import dev.deckhand.local.replay.ReplayCommand;
import dev.deckhand.local.replay.ReplayOptions;
import dev.deckhand.local.rotation.RotationCommand;
import dev.deckhand.local.simulate.SimulateCommand;
import dev.deckhand.local.simulate.SimulateOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code deckhand} command (run it through the {@code deckhand} script at the repository
 * root, which builds what it needs first).
 */
public final class Main {

    static final String USAGE = """
            usage: deckhand COMMAND
              replay EVENT.json…  route an event by template.yaml and invoke the routed functions as Lambda would
              simulate SCENARIO   run a fleet scenario (Spot storm, rebalance wave, deploy, AMI release) with and without Deckhand
              bench               measure cold starts, warm latency, AWS calls per event, planners, zip sizes
              failures list       what a stack's failure queues hold: function, why, when, which event
              failures redrive    re-deliver parked events to their function (a dry run unless --apply)
              rotation            a full AMI rotation of the demo account (rotate-ami and drain-instance, run after run)
              test                run every test level (see README.md)
            run `deckhand COMMAND --help` for its options""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /**
     * Replays each event in turn on one emulator (emptied between them); with several, a line per
     * event on {@code err} says which failed. Exit code: the worst of them (0 all handled, 2 an event
     * no rule matched, 1 a function failed).
     */
    private static int replayEach(List<ReplayOptions> each, PrintStream out, PrintStream err) throws IOException {
        ReplayCommand command = new ReplayCommand(DeckhandHome.find());
        int worst = 0;
        for (ReplayOptions options : each) {
            int code;
            try {
                code = command.run(options, out, err);
            } catch (RuntimeException e) {
                if (each.size() == 1) {
                    throw e;
                }
                err.println(options.event() + ": " + e);
                code = 1;
            }
            if (each.size() > 1) {
                err.println((code == 0 ? "ok    " : "FAIL  ") + options.event() + (code == 0 ? "" : " (exit " + code + ")"));
            }
            worst = code == 1 || worst == 1 ? 1 : Math.max(worst, code);
        }
        return worst;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "replay" -> {
                    if (rest.contains("--help")) {
                        out.println(ReplayOptions.USAGE);
                        return 0;
                    }
                    return replayEach(ReplayOptions.parseEach(rest), out, err);
                }
                case "simulate" -> {
                    if (rest.contains("--help")) {
                        out.println(SimulateOptions.USAGE);
                        return 0;
                    }
                    return new SimulateCommand(DeckhandHome.find()).run(SimulateOptions.parse(rest), out, err);
                }
                case "bench" -> {
                    if (rest.contains("--help")) {
                        out.println(BenchCommand.usage());
                        return 0;
                    }
                    return new BenchCommand(DeckhandHome.find()).run(rest, out);
                }
                case "failures" -> {
                    if (rest.contains("--help")) {
                        out.println(FailuresOptions.USAGE);
                        return 0;
                    }
                    return new FailuresCommand()
                            .run(FailuresOptions.parse(rest), out, err);
                }
                case "rotation" -> {
                    if (rest.contains("--help")) {
                        out.println(RotationCommand.USAGE);
                        return 0;
                    }
                    return new RotationCommand(DeckhandHome.find()).run(rest, out);
                }
                default -> {
                    err.println("unknown command '" + args.get(0) + "'\n" + USAGE);
                    return 2;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("deckhand: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("deckhand: " + e.getMessage());
            return 1;
        }
    }
}
