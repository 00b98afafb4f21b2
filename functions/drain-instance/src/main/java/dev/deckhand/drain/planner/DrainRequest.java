package dev.deckhand.drain.planner;

import java.time.Instant;

/**
 * The one internal event every drain signal becomes; {@link Signal#INSTANCE_RUNNING} (a stopped
 * instance runs again) becomes one too, for its re-activation.
 *
 * @param eventId    the EventBridge event id, carried into every log line and the result
 * @param instanceId the EC2 instance to drain
 * @param signal     why
 * @param deadline   when the instance goes away, if the signal says (a Spot warning: two minutes
 *                   after the event); null when unknown
 * @param drainedFor what the drain is for: whether the instance comes back (a stop, a maintenance) with
 *                   the same container instance, or may (a rebalance no replacement comes for), and is
 *                   then re-activated
 */
public record DrainRequest(String eventId, String instanceId, Signal signal, Instant deadline, DrainedFor drainedFor)
        implements DrainInstanceRequest {

    /** A drain for an instance that is going away for good (or may be). */
    public DrainRequest(String eventId, String instanceId, Signal signal, Instant deadline) {
        this(eventId, instanceId, signal, deadline, DrainedFor.TERMINATION);
    }
}
