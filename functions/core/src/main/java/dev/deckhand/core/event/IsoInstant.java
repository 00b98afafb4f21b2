package dev.deckhand.core.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads the UTC times events and Deckhand's tags carry ({@code 2026-12-01T03:30:00Z}, with up to
 * nine fraction digits) as {@link Instant#parse} does, without its general formatter, which a JFR
 * recording of {@code deckhand bench} found among the largest parts of rebalance-tasks' own time
 * under the C1 compiler Lambda runs. Any other text ({@code +00:00} offsets, lower
 * case, leap seconds, years past 9999, errors) is left to {@link Instant#parse}, so the answer and
 * the exception are always its.
 *
 * <pre>{@code
 * Instant at = IsoInstant.parse("2026-12-01T03:30:00.250Z");
 * }</pre>
 */
public final class IsoInstant {

    private static final int SHORTEST = "2026-12-01T03:30:00Z".length();

    private IsoInstant() {
    }

    /** As {@link Instant#parse}: the instant, or DateTimeParseException (NullPointerException for null). */
    public static Instant parse(CharSequence text) {
        Instant instant = text == null ? null : plain(text);
        return instant != null ? instant : Instant.parse(text);
    }

    /** The instant when the text is {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} naming a valid time, else null. */
    private static Instant plain(CharSequence text) {
        int length = text.length();
        if (length < SHORTEST || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > SHORTEST) {
            int fraction = length - SHORTEST - 1;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, length - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The ASCII digits from {@code from} to {@code to} as a number, or -1 when one is not a digit. */
    private static int digits(CharSequence text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
