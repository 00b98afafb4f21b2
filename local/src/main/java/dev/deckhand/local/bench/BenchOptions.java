package dev.deckhand.local.bench;

import java.nio.file.Path;
import java.util.List;

/** {@code deckhand bench [--runs N] [--warm N] [--out FILE] [--no-sweep] [--jfr DIR]}. */
record BenchOptions(int runs, int warm, Path out, boolean sweep, Path jfr) {

    static final String USAGE = """
            usage: deckhand bench [--runs N] [--warm N] [--out FILE] [--no-sweep] [--jfr DIR]
              cold starts of every function in template.yaml (a new JVM through the Lambda runtime client, N runs,
              default 5), warm latency over N events (default 200), AWS calls per event kind, planner times at
              1,000 instances and 20,000 tasks, zip sizes and peak memory. Prints a table and writes it to FILE
              (default .deckhand/bench/bench-<time>.md). --no-sweep skips the rebalance sweep of 1,000 instances
              on the emulator (its seeding takes minutes). --jfr records each function's warm invocations with JFR,
              Java stacks sampled every millisecond, in DIR/<function>.jfr (read them with `jfr print` or JDK
              Mission Control), and adds a table of each function's own time by part; the recording's own cost
              is in that run's warm figures.""";

    static BenchOptions parse(List<String> args) {
        int runs = 5;
        int warm = 200;
        Path out = null;
        boolean sweep = true;
        Path jfr = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--runs" -> runs = number(args, ++i);
                case "--warm" -> warm = number(args, ++i);
                case "--no-sweep" -> sweep = false;
                case "--out" -> out = path(args, ++i, "a file");
                case "--jfr" -> {
                    jfr = path(args, ++i, "a folder");
                    if (jfr.toAbsolutePath().toString().chars().anyMatch(Character::isWhitespace)) {
                        throw new IllegalArgumentException("--jfr's folder may not hold white space (JAVA_TOOL_OPTIONS splits on it): " + jfr);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected argument '" + args.get(i) + "'\n" + USAGE);
            }
        }
        return new BenchOptions(runs, warm, out, sweep, jfr);
    }

    private static Path path(List<String> args, int index, String what) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(args.get(index - 1) + " needs " + what);
        }
        return Path.of(args.get(index));
    }

    private static int number(List<String> args, int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(args.get(index - 1) + " needs a number");
        }
        try {
            int value = Integer.parseInt(args.get(index));
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args.get(index - 1) + " takes a whole number of at least 1, got '" + args.get(index) + "'");
        }
    }
}
