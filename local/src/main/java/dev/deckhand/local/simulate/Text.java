package dev.deckhand.local.simulate;

import java.time.Duration;

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
}
