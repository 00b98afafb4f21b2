package dev.deckhand.local.simulate;

import dev.deckhand.local.CommandArgs;
import dev.deckhand.local.faults.FaultRates;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deckhand simulate SCENARIO.yaml [--report FILE.html] [--faults SPEC] [--fault-seed N]
 * [--parameter Name=Value]... [--only with|without] [--quiet]}
 */
public record SimulateOptions(Path scenario, Path report, FaultRates faults, long faultSeed, Map<String, String> parameters,
                              String only, boolean quiet) {

    public static final String USAGE = """
            usage: deckhand simulate SCENARIO.yaml [options]
              runs the scenario (format: local/scenarios/README.md) on the emulator twice, with Deckhand
              and without, prints a summary and writes an HTML report
              --report FILE.html     where the report goes (default: target/simulate/SCENARIO.html under the current directory)
              --faults SPEC          run the functions through the fault proxy, as replay does, e.g.
                                     throttle=0.2,error=0.1,slow=0.05,drop=0.05,lost=0.05 (probability per request)
              --fault-seed N         the proxy's random seed (default 1)
              --parameter Name=Value a template parameter for the run with Deckhand (e.g. RebalancePolicy=notify)
              --only with|without    run one of the two only
              --quiet                no progress line""";

    public static SimulateOptions parse(List<String> args) {
        Path scenario = null;
        Path report = null;
        FaultRates faults = FaultRates.NONE;
        long faultSeed = 1;
        Map<String, String> parameters = new LinkedHashMap<>();
        String only = null;
        boolean quiet = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--report" -> report = Path.of(value(args, ++i, arg));
                case "--faults" -> faults = FaultRates.parse(value(args, ++i, arg));
                case "--fault-seed" -> faultSeed = CommandArgs.faultSeed(value(args, ++i, arg));
                case "--parameter" -> CommandArgs.parameter(value(args, ++i, arg), parameters);
                case "--only" -> {
                    only = value(args, ++i, arg);
                    if (!only.equals("with") && !only.equals("without")) {
                        throw new IllegalArgumentException("--only takes with or without, got '" + only + "'");
                    }
                }
                case "--quiet" -> quiet = true;
                default -> {
                    if (arg.startsWith("--") || scenario != null) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
                    }
                    scenario = Path.of(arg);
                }
            }
        }
        if (scenario == null) {
            throw new IllegalArgumentException("simulate needs a scenario file\n" + USAGE);
        }
        if (report == null) {
            String name = scenario.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            report = Path.of("target", "simulate", name + ".html");
        }
        return new SimulateOptions(scenario, report, faults, faultSeed, parameters, only, quiet);
    }

    private static String value(List<String> args, int index, String option) {
        return CommandArgs.value(args, index, option);
    }
}
