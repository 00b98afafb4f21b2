package dev.deckhand.ticket.sink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token or webhook URL read from an SSM SecureString. {@link #toString()} never shows it, and
 * every value ever created is known to {@link #redact}, which sinks apply to anything they put in
 * an exception or a log line (an error body that echoes a header, a URL).
 */
public final class Secret {

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private final String value;

    public Secret(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.value = value.strip();
        KNOWN.add(this.value);
    }

    /** The value, for an Authorization header or a request URI only. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    /** {@code text} with every known secret replaced by ****. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : KNOWN) {
            if (out.contains(secret)) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }
}
