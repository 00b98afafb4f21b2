package dev.deckhand.drain.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.Signal;
import java.time.Duration;

/**
 * The detail of {@code aws.ec2} / {@code EC2 Spot Instance Interruption Warning}. EC2 sends it two
 * minutes before it stops, terminates or hibernates a Spot Instance (hibernation starts at once).
 * Example (EC2 User Guide, "Spot Instance interruption notices"):
 *
 * <pre>{@code
 * "detail": {"instance-id": "i-1234567890abcdef0", "instance-action": "terminate"}
 * }</pre>
 */
public record SpotInterruptionWarning(
        @JsonProperty("instance-id") String instanceId,
        @JsonProperty("instance-action") String instanceAction) {

    /** The notice comes two minutes ahead. */
    static final Duration WARNING = Duration.ofMinutes(2);

    public SpotInterruptionWarning {
        EventParser.requireInstanceId("detail.instance-id", instanceId);
    }

    DrainRequest toRequest(EventEnvelope event) {
        boolean immediate = "hibernate".equals(instanceAction);
        // stop and hibernate bring the instance back with the same container instance: re-activated when it runs
        boolean stop = "stop".equals(instanceAction) || immediate;
        return new DrainRequest(event.id(), instanceId, Signal.SPOT_INTERRUPTION,
                immediate ? event.time() : event.time().plus(WARNING), stop);
    }
}
