package dev.deckhand.capacity.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.EventParser;

/**
 * The detail of an EC2 Spot Instance Interruption Warning or an EC2 Instance Rebalance
 * Recommendation (EC2 User Guide): both name the Spot instance.
 *
 * <pre>{@code
 * "detail": {"instance-id": "i-1234567890abcdef0", "instance-action": "terminate"}
 * }</pre>
 */
record InstanceSignal(@JsonProperty("instance-id") String instanceId) {

    InstanceSignal {
        EventParser.requireInstanceId("detail.instance-id", instanceId);
    }
}
