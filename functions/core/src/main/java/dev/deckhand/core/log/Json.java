package dev.deckhand.core.log;

/** Minimal JSON string writing for log lines: escapes quotes, backslashes and every control character. */
final class Json {

    /** A value longer than this is cut: a hostile event must not make a log line huge. */
    static final int MAX_VALUE_CHARS = 2_000;

    private Json() {
    }

    static void string(StringBuilder out, String value) {
        out.append('"');
        int length = Math.min(value.length(), MAX_VALUE_CHARS);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > MAX_VALUE_CHARS) {
            out.append("...(cut)");
        }
        out.append('"');
    }

    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }
}
