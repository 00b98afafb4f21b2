package dev.deckhand.local.bench;

import java.nio.file.Path;
import java.util.List;

/** {@code deckhand bench [--runs N] [--warm N] [--out FILE]}. */
record BenchOptions(int runs, int warm, Path out, boolean sweep) {

    static final String USAGE = """
            usage: deckhand bench [--runs N] [--warm N] [--out FILE] [--no-sweep]
              cold starts of every function in template.yaml (a new JVM through the Lambda runtime client, N runs,
              default 5), warm latency over N events (default 200), AWS calls per event kind, planner times at
              1,000 instances and 20,000 tasks, zip sizes and peak memory. Prints a table and writes it to FILE
              (default .deckhand/bench/bench-<time>.md). --no-sweep skips the rebalance sweep of 1,000 instances
              on the emulator (its seeding takes minutes).""";

    static BenchOptions parse(List<String> args) {
        int runs = 5;
        int warm = 200;
        Path out = null;
        boolean sweep = true;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--runs" -> runs = number(args, ++i);
                case "--warm" -> warm = number(args, ++i);
                case "--no-sweep" -> sweep = false;
                case "--out" -> {
                    if (++i >= args.size()) {
                        throw new IllegalArgumentException("--out needs a file");
                    }
                    out = Path.of(args.get(i));
                }
                default -> throw new IllegalArgumentException("unexpected argument '" + args.get(i) + "'\n" + USAGE);
            }
        }
        return new BenchOptions(runs, warm, out, sweep);
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
