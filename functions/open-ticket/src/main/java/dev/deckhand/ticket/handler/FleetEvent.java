package dev.deckhand.ticket.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;

/**
 * The detail of the EC2 Fleet and Spot Fleet events open-ticket takes (EC2 User Guide, "EC2 Fleet event
 * types", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-event-types.html, and "Spot Fleet
 * event types", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-event-types.html): an
 * {@code EC2 Fleet Error} / {@code EC2 Spot Fleet Error}, and an {@code EC2 Fleet Instance Change} /
 * {@code EC2 Spot Fleet Instance Change} of sub-type {@code launched}. The fleet is {@code resources[0]}.
 *
 * <pre>{@code
 * "detail": {"description": "r4.2xlarge, ami-032930428bf1abbff, Linux/UNIX: ...", "sub-type": "spotFleetRequestConfigurationInvalid"}
 * "detail": {"instance-id": "i-0c594155dbc2e5af1", "description": "{\"instanceType\":\"c5.large\",...}", "sub-type": "launched"}
 * }</pre>
 */
record FleetEvent(@JsonProperty("sub-type") String subType, String description, @JsonProperty("instance-id") String instanceId) {

    FleetEvent {
        EventFieldChecks.require("detail.sub-type", subType);
        if (!subType.matches("[A-Za-z_]{1,64}")) {
            throw new BadEventException("event field `detail.sub-type` is not a fleet event sub-type");
        }
        EventFieldChecks.text("detail.description", description, 4096);
        if (instanceId != null && !instanceId.matches("i-[0-9a-f]{8,17}")) {
            throw new BadEventException("event field `detail.instance-id` is not an instance id");
        }
    }
}
