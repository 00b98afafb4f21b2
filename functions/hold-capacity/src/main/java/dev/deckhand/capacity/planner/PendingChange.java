package dev.deckhand.capacity.planner;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A change recorded on a lever (tag {@code deckhand:hold-pending}) before it is made, so that a run
 * that did not finish is completed by the next instead of done twice. As a tag:
 * {@code VALUE[ INSTANCE decrement|keep[ DESIRED]]}.
 *
 * <pre>{@code
 * new PendingChange(4, null, false, null).tag();                   // "4": a raise to 4
 * new PendingChange(3, "i-0abc...", true, null).tag();             // "3 i-0abc... decrement": a group's step
 * PendingChange.parse("2 i-0abc... keep").orElseThrow().instance(); // a fleet's step, lowered before the termination
 * }</pre>
 *
 * @param value     the lever's setting after the change
 * @param instance  the drained instance a hand-back step removes, or null (a raise)
 * @param decrement the instance is removed with the group's desired capacity decremented (a group);
 *                  false: the target was lowered first and the instance is terminated (a fleet)
 * @param desired   a mixed group's desired capacity after the step, or null
 */
public record PendingChange(int value, String instance, boolean decrement, Integer desired) {

    private static final Pattern DESIRED = Pattern.compile("[0-9]{1,9}");

    /** The change a tag records; empty when its value is unreadable. */
    public static Optional<PendingChange> parse(String tag) {
        String[] parts = tag.split(" ");
        int value;
        try {
            value = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String instance = parts.length >= 3 ? parts[1] : null;
        boolean decrement = parts.length >= 3 && parts[2].equals("decrement");
        Integer desired = parts.length >= 4 && DESIRED.matcher(parts[3]).matches() ? Integer.valueOf(parts[3]) : null;
        return Optional.of(new PendingChange(value, instance, decrement, desired));
    }

    /** As the tag records it. */
    public String tag() {
        return instance == null ? Integer.toString(value)
                : value + " " + instance + (decrement ? " decrement" : " keep") + (desired == null ? "" : " " + desired);
    }
}
