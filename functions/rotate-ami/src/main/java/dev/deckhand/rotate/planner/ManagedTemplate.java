package dev.deckhand.rotate.planner;

import dev.deckhand.core.aws.DeckhandTags;
import java.util.Map;

/** A launch template tagged {@code deckhand:ami-parameter}, as DescribeLaunchTemplates lists it. */
public record ManagedTemplate(String id, String name, String parameter, long defaultVersion, long latestVersion, Map<String, String> tags) {

    public static final String PARAMETER_TAG = "deckhand:ami-parameter";
    /** The default version before rotate-ami's last change, so that a rollback can restore it. */
    public static final String PREVIOUS_TAG = DeckhandTags.PREVIOUS_VERSION;
    /** The version rotate-ami made the default. */
    public static final String ROTATED_TAG = DeckhandTags.ROTATED_VERSION;
    /** An image a rotation was rolled back from: not tried again until the parameter names another. */
    public static final String ROLLED_BACK_TAG = "deckhand:rolled-back-image";

    public boolean named(String ref) {
        return id.equals(ref) || name.equals(ref);
    }

    public Long longTag(String key) {
        String value = tags.get(key);
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
