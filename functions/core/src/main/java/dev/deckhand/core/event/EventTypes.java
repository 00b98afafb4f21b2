package dev.deckhand.core.event;

/**
 * Every EventBridge {@code source} and {@code detail-type} Deckhand routes, in one place. The
 * strings are AWS's own, from each service's event documentation; template.yaml's rules use the
 * same strings, and the routing test checks both against the samples in events/.
 */
public final class EventTypes {

    public static final String SOURCE_EC2 = "aws.ec2";

    /** EC2 User Guide, "Spot Instance interruption notices". */
    public static final String SPOT_INTERRUPTION_WARNING = "EC2 Spot Instance Interruption Warning";

    private EventTypes() {
    }
}
