package dev.deckhand.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detail of the EC2 Fleet and Spot Fleet events Deckhand takes (EC2 User Guide, "EC2 Fleet event
 * types", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-event-types.html, and "Spot Fleet
 * event types", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-event-types.html): an
 * {@code EC2 Fleet Error} / {@code EC2 Spot Fleet Error}, an {@code EC2 Fleet Instance Change} / {@code EC2
 * Spot Fleet Instance Change}. One strictness for every function that takes them; the fleet is the
 * event's {@code resources[0]}, read by {@link #fleetOf}.
 *
 * <pre>{@code
 * "resources": ["arn:aws:ec2:us-east-1:123456789012:spot-fleet-request/sfr-38725d30-25f1-4f30-83ce-2907c56dba17"],
 * "detail": {"description": "r4.2xlarge, ami-032930428bf1abbff, Linux/UNIX: ...", "sub-type": "spotFleetRequestConfigurationInvalid"}
 * "detail": {"instance-id": "i-0c594155dbc2e5af1", "description": "{\"instanceType\":\"c5.large\",...}", "sub-type": "launched"}
 * }</pre>
 */
public record FleetEvent(@JsonProperty("sub-type") String subType, String description, @JsonProperty("instance-id") String instanceId) {

    /** An EC2 Fleet or Spot Fleet request ARN: resource type and id. */
    private static final Pattern FLEET_ARN = Pattern.compile("arn:[\\w-]+:ec2:[\\w-]+:\\d{12}:(fleet|spot-fleet-request)/((?:fleet|sfr)-[0-9a-f-]{36})");
    private static final Pattern SUB_TYPE = Pattern.compile("[A-Za-z_]{1,64}");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");

    /** The fleet an event names. */
    public record Fleet(Kind kind, String id) {
    }

    public enum Kind { EC2_FLEET, SPOT_FLEET }

    public FleetEvent {
        if (subType == null || subType.isBlank()) {
            throw new BadEventException("event field `detail.sub-type` is missing");
        }
        if (!SUB_TYPE.matcher(subType).matches()) {
            throw new BadEventException("event field `detail.sub-type` is not a fleet event sub-type");
        }
        AutoScalingLaunch.text("detail.description", description);
        if (instanceId != null && !INSTANCE.matcher(instanceId).matches()) {
            throw new BadEventException("event field `detail.instance-id` is not an instance id");
        }
    }

    /** What the sub-type says of a fleet error. */
    public LaunchFailure.Cause failure() {
        return LaunchFailure.ofFleetSubType(subType);
    }

    /**
     * The fleet in {@code resources[0]}: an EC2 Fleet for {@code aws.ec2fleet}, a Spot Fleet request for
     * {@code aws.ec2spotfleet}; anything else is refused.
     */
    public static Fleet fleetOf(EventEnvelope event) {
        if (event.resources().isEmpty()) {
            throw new BadEventException("event field `resources` must name the fleet");
        }
        Matcher fleet = FLEET_ARN.matcher(event.resources().get(0));
        if (!fleet.matches()) {
            throw new BadEventException("event field `resources[0]` is not an EC2 Fleet or Spot Fleet request ARN: "
                    + EventParser.abbreviate(event.resources().get(0)));
        }
        Kind kind = fleet.group(1).equals("fleet") ? Kind.EC2_FLEET : Kind.SPOT_FLEET;
        if ((kind == Kind.SPOT_FLEET) != EventTypes.SOURCE_SPOT_FLEET.equals(event.source())) {
            throw new BadEventException("event field `resources[0]` is a " + fleet.group(1) + " but the source is "
                    + EventParser.abbreviate(event.source()));
        }
        return new Fleet(kind, fleet.group(2));
    }
}
