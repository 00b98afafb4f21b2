package dev.deckhand.local.simulate;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How simulate writes durations: {@code 90s}, {@code 2m}, {@code 2m30s}, {@code 1h}. */
final class Text {

    private Text() {
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }

    /** Simulated time as {@code mm:ss} (or {@code h:mm:ss}). */
    static String clock(Duration elapsed) {
        long s = elapsed.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
    }

    /** {@code 30m}, {@code 1h30m}, {@code 90s}, {@code 1d} as a Duration (rotate-ami's RotateCanaryDeadline); null when not one. */
    static Duration parseDuration(String text) {
        Matcher m = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            return null;
        }
        long[] scale = {86400, 3600, 60, 1};
        long seconds = 0;
        for (int g = 1; g <= 4; g++) {
            seconds += m.group(g) == null ? 0 : Long.parseLong(m.group(g)) * scale[g - 1];
        }
        return Duration.ofSeconds(seconds);
    }
}
