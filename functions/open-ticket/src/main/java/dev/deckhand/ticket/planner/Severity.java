package dev.deckhand.ticket.planner;

import java.util.Locale;

/**
 * Finding severities, lowest first, as ECR basic scanning and Inspector name them. UNDEFINED (ECR)
 * and UNTRIAGED (Inspector) rank below INFORMATIONAL: nobody has judged them.
 */
public enum Severity {
    UNDEFINED, INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL;

    /** The severity named {@code value} (any case; UNTRIAGED is UNDEFINED), or null when it is not one. */
    public static Severity parse(String value) {
        if (value == null) {
            return null;
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("UNTRIAGED")) {
            return UNDEFINED;
        }
        for (Severity severity : values()) {
            if (severity.name().equals(upper)) {
                return severity;
            }
        }
        return null;
    }

    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }
}
