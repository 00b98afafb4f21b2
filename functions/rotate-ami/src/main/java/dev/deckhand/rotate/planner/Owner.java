package dev.deckhand.rotate.planner;

/**
 * What launched an instance and replaces it when it goes: an Auto Scaling group, an EC2 Fleet or a
 * Spot Fleet request of type maintain. Read from the tags AWS puts on the instances it launches
 * ({@code aws:autoscaling:groupName}, {@code aws:ec2:fleet-id}, {@code aws:ec2spot:fleet-request-id}).
 * An instance with no such owner is never retired: nothing would replace it.
 */
public record Owner(Kind kind, String id) {

    public enum Kind { AUTO_SCALING_GROUP, EC2_FLEET, SPOT_FLEET, NONE }

    public static final Owner NONE = new Owner(Kind.NONE, null);

    public boolean replaces() {
        return kind != Kind.NONE;
    }
}
