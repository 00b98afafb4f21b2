package dev.deckhand.rotate.planner;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When instances may be retired: windows that open at the times of an EventBridge-style cron
 * expression (UTC; {@code cron(minutes hours day-of-month month day-of-week year)}) and last
 * {@code length}. {@link #ALWAYS} when none is configured.
 *
 * <pre>{@code
 * MaintenanceWindow window = MaintenanceWindow.parse("cron(0 2 ? * MON-FRI *)", Duration.ofHours(3));
 * window.isOpen(Instant.parse("2026-12-01T03:30:00Z"));   // true: a Tuesday, between 02:00 and 05:00
 * }</pre>
 *
 * Fields take {@code *}, {@code ?}, numbers, lists ({@code 1,15}), ranges ({@code 1-5}) and steps
 * ({@code 0/15}, {@code *}{@code /10}); days of the week are 1-7 (SUN=1) or SUN-SAT, as in EventBridge.
 * {@code L}, {@code W} and {@code #} are refused at start-up.
 */
public final class MaintenanceWindow {

    public static final MaintenanceWindow ALWAYS = new MaintenanceWindow(null, null, null, null, null, null, Duration.ZERO, "always");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final Duration length;
    private final String text;

    private MaintenanceWindow(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, BitSet years,
                              Duration length, String text) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
        this.length = length;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code expression} */
    public static MaintenanceWindow parse(String expression, Duration length) {
        String trimmed = expression.trim();
        if (!trimmed.startsWith("cron(") || !trimmed.endsWith(")")) {
            throw new IllegalArgumentException("must be cron(minutes hours day-of-month month day-of-week year), got '" + expression + "'");
        }
        String[] fields = WHITESPACE.split(trimmed.substring(5, trimmed.length() - 1).trim());
        if (fields.length != 6) {
            throw new IllegalArgumentException("cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got " + fields.length);
        }
        if (length.isZero() || length.isNegative() || length.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("the window's length must be between 1m and 7d, got " + length);
        }
        return new MaintenanceWindow(field(fields[0], 0, 59, List.of(), 0), field(fields[1], 0, 23, List.of(), 0),
                field(fields[2], 1, 31, List.of(), 0), field(fields[3], 1, 12, MONTHS, 1), field(fields[4], 1, 7, DAYS, 1),
                field(fields[5], 1970, 2199, List.of(), 0), length, trimmed + " for " + length);
    }

    private static BitSet field(String spec, int min, int max, List<String> names, int nameBase) {
        BitSet set = new BitSet(max + 1);
        if (spec.equals("*") || spec.equals("?")) {
            set.set(min, max + 1);
            return set;
        }
        for (String part : spec.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, List.of(), 0);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], min, max, names, nameBase);
                to = number(ends[1], min, max, names, nameBase);
            } else {
                from = number(range, min, max, names, nameBase);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException("cron range " + range + " runs backwards");
            }
            for (int value = from; value <= to; value += step) {
                set.set(value);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, List<String> names, int nameBase) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return named + nameBase;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("cron value " + value + " is outside " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cron value '" + text + "' is not a number" + (names.isEmpty() ? "" : " or a name")
                    + " (L, W and # are not supported)");
        }
    }

    /** True when a window opened at most {@code length} before {@code now}. */
    public boolean isOpen(Instant now) {
        if (minutes == null) {
            return true;
        }
        ZonedDateTime at = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        long steps = length.toMinutes();
        for (long i = 0; i < steps; i++) {
            if (matches(at.minusMinutes(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(ZonedDateTime time) {
        int dayOfWeek = time.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : time.getDayOfWeek().getValue() + 1;
        return minutes.get(time.getMinute()) && hours.get(time.getHour()) && daysOfMonth.get(time.getDayOfMonth())
                && months.get(time.getMonthValue()) && daysOfWeek.get(dayOfWeek) && years.get(time.getYear());
    }

    @Override
    public String toString() {
        return text;
    }
}
