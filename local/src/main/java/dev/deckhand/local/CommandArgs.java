package dev.deckhand.local;

import java.util.List;
import java.util.Map;

/** The options several {@code deckhand} commands take alike, read the same way with the same messages. */
public final class CommandArgs {

    private CommandArgs() {
    }

    /** The value after {@code option} at {@code index}. */
    public static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    /** {@code --fault-seed N}. */
    public static long faultSeed(String seed) {
        try {
            return Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fault-seed takes a whole number, got '" + seed + "'");
        }
    }

    /** {@code --parameter Name=Value}, added to {@code parameters}. */
    public static void parameter(String pair, Map<String, String> parameters) {
        int equals = pair.indexOf('=');
        if (equals < 1) {
            throw new IllegalArgumentException("--parameter takes Name=Value, got '" + pair + "'");
        }
        parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
}
