package dev.deckhand.ticket.handler;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the fields open-ticket's events carry; each failure names the field. */
final class EventFieldChecks {

    /** ECR's repository-name pattern (CreateRepository), at most 256 characters. */
    static final Pattern REPOSITORY = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    /**
     * An ECR image digest: {@code sha256:} and the OCI digest grammar's encoded characters
     * ({@code [A-Za-z0-9=_-]}). Neither its length nor its hex content is checked: AWS's own sample
     * events carry {@code sha256:7f5b...abcd1234} (60 digits; Amazon ECR User Guide, "Amazon ECR events
     * and EventBridge") and {@code sha256:36c7...9d77e5EXAMPLE} (Inspector2 Finding; "EventBridge events
     * sent for enhanced scanning in Amazon ECR"), and a digest is only handed back to ECR, compared and
     * shown, never computed. The character set still keeps markup and whitespace out of tickets.
     */
    static final Pattern DIGEST = Pattern.compile("sha256:[A-Za-z0-9=_-]{1,128}");
    static final int DIGEST_MAX = 135;
    static final String DIGEST_WHAT = "an image digest (sha256:<digest>)";
    /** An image tag (Docker's rule). */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private EventFieldChecks() {
    }

    static String require(String field, String value) {
        if (value == null) {
            throw new BadEventException("event field `" + field + "` is missing");
        }
        if (value.isBlank()) {
            throw new BadEventException("event field `" + field + "` is empty");
        }
        return value;
    }

    static String matching(String field, String value, Pattern pattern, int maxLength, String what) {
        require(field, value);
        if (value.length() > maxLength || !pattern.matcher(value).matches()) {
            throw new BadEventException("event field `" + field + "` is not " + what + ": " + EventParser.abbreviate(value));
        }
        return value;
    }

    static List<String> tags(String field, List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > 100) {
            throw new BadEventException("event field `" + field + "` has more than ECR's 100 tags an image");
        }
        for (String tag : tags) {
            matching(field + "[]", tag, TAG, 128, "an image tag");
        }
        return List.copyOf(tags);
    }

    /** Free text from an event, kept for the ticket (escaped there), refused when absurdly long. */
    static String text(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new BadEventException("event field `" + field + "` is longer than " + maxLength + " characters");
        }
        return value;
    }
}
