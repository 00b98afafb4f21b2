package dev.deckhand.rotate.planner;

import dev.deckhand.core.aws.DeckhandTags;
import dev.deckhand.core.event.IsoInstant;
import java.time.Instant;

/**
 * The first instance of a cluster retired for a new image, kept as a tag on the launch template
 * ({@code deckhand:canary:CLUSTER} = {@code IMAGE INSTANCE START}), so the next run knows how long
 * the cluster has been waiting for a replacement on the new image.
 */
public record Canary(String cluster, String imageId, String ec2InstanceId, Instant startedAt) {

    public static final String TAG_PREFIX = DeckhandTags.CANARY_PREFIX;

    public String tagValue() {
        return imageId + " " + ec2InstanceId + " " + startedAt;
    }

    /** The canary a tag value describes, or null when the value is not one rotate-ami wrote. */
    public static Canary parse(String cluster, String value) {
        String[] parts = value == null ? new String[0] : value.trim().split(" ");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Canary(cluster, parts[0], parts[1], IsoInstant.parse(parts[2]));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
