package dev.deckhand.capacity.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.LaunchFailure;

/**
 * The detail of {@code aws.ec2spotfleet} / {@code EC2 Spot Fleet Error} and {@code aws.ec2fleet} /
 * {@code EC2 Fleet Error} (EC2 User Guide, "EC2 Fleet event types", "Spot Fleet event types"); the
 * fleet is the event's {@code resources[0]}:
 *
 * <pre>{@code
 * "resources": ["arn:aws:ec2:us-east-1:123456789012:spot-fleet-request/sfr-38725d30-25f1-4f30-83ce-2907c56dba17"],
 * "detail": {"description": "r4.2xlarge, ami-032930428bf1abbff, Linux/UNIX: ...", "sub-type": "spotFleetRequestConfigurationInvalid"}
 * }</pre>
 */
record FleetError(@JsonProperty("sub-type") String subType, String description) {


    FleetError {
        if (subType == null) {
            throw new BadEventException("event field `detail.sub-type` is missing");
        }
        if (!subType.matches("[A-Za-z_]{1,64}")) {
            throw new BadEventException("event field `detail.sub-type` is not a fleet event sub-type");
        }
        if (description != null && description.length() > 4096) {
            throw new BadEventException("event field `detail.description` is longer than 4096 characters");
        }
    }

    /** True when the sub-type stops Spot launches that On-Demand would make (the shared {@link LaunchFailure} classifier). */
    boolean holdable() {
        return LaunchFailure.ofFleetSubType(subType).holdable();
    }
}
