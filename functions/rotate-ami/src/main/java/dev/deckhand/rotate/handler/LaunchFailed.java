package dev.deckhand.rotate.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.LaunchFailure;
import dev.deckhand.rotate.planner.Owner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A launch that failed, as rotate-ami's canary reads it: {@code aws.autoscaling} / {@code EC2 Instance Launch
 * Unsuccessful} (EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference"), or an
 * {@code EC2 Fleet Error} / {@code EC2 Spot Fleet Error} (EC2 User Guide, "EC2 Fleet event types", "Spot Fleet
 * event types"). Only the causes the shared classifier ({@link LaunchFailure}) says a person must fix, and that
 * On-Demand would not cure, stop a canary: a shortage of Spot capacity says nothing about the new image.
 */
final class LaunchFailed {

    static final String SOURCE_AUTOSCALING = "aws.autoscaling";
    static final String LAUNCH_UNSUCCESSFUL = "EC2 Instance Launch Unsuccessful";
    static final String SOURCE_EC2_FLEET = "aws.ec2fleet";
    static final String SOURCE_SPOT_FLEET = "aws.ec2spotfleet";
    static final String EC2_FLEET_ERROR = "EC2 Fleet Error";
    static final String SPOT_FLEET_ERROR = "EC2 Spot Fleet Error";

    private static final Pattern GROUP = Pattern.compile("[\\u0020-\\uD7FF\\uE000-\\uFFFD&&[^:<>\"'`\\\\]]{1,255}");
    private static final Pattern FLEET_ARN = Pattern.compile("arn:[\\w-]+:ec2:[\\w-]+:\\d{12}:(fleet|spot-fleet-request)/((?:fleet|sfr)-[0-9a-f-]{36})");

    record AutoScalingDetail(@JsonProperty("AutoScalingGroupName") String group, @JsonProperty("StatusMessage") String statusMessage) {
    }

    record FleetDetail(@JsonProperty("sub-type") String subType, String description) {
    }

    /** The owner whose launch failed, the cause, and AWS's message. */
    record Failure(Owner owner, LaunchFailure.Cause cause, String message) {

        /** A cause that says the launched version itself is wrong (not capacity, not a Spot quota). */
        boolean stopsACanary() {
            return cause.needsPerson() && !cause.holdable();
        }
    }

    private LaunchFailed() {
    }

    static boolean is(EventEnvelope event) {
        return event.is(SOURCE_AUTOSCALING, LAUNCH_UNSUCCESSFUL) || event.is(SOURCE_EC2_FLEET, EC2_FLEET_ERROR)
                || event.is(SOURCE_SPOT_FLEET, SPOT_FLEET_ERROR);
    }

    static Failure parse(EventParser parser, EventEnvelope event) {
        if (event.is(SOURCE_AUTOSCALING, LAUNCH_UNSUCCESSFUL)) {
            AutoScalingDetail detail = parser.detail(event, AutoScalingDetail.class);
            if (detail.group() == null || !GROUP.matcher(detail.group()).matches()) {
                throw new BadEventException("event field `detail.AutoScalingGroupName` is missing or not an Auto Scaling group name");
            }
            if (detail.statusMessage() != null && detail.statusMessage().length() > 4096) {
                throw new BadEventException("event field `detail.StatusMessage` is longer than 4096 characters");
            }
            return new Failure(new Owner(Owner.Kind.AUTO_SCALING_GROUP, detail.group()), LaunchFailure.ofStatusMessage(detail.statusMessage()),
                    detail.statusMessage());
        }
        FleetDetail detail = parser.detail(event, FleetDetail.class);
        if (detail.subType() == null || !detail.subType().matches("[A-Za-z_]{1,64}")) {
            throw new BadEventException("event field `detail.sub-type` is missing or not a fleet event sub-type");
        }
        if (detail.description() != null && detail.description().length() > 4096) {
            throw new BadEventException("event field `detail.description` is longer than 4096 characters");
        }
        Matcher fleet = event.resources().isEmpty() ? null : FLEET_ARN.matcher(event.resources().get(0));
        if (fleet == null || !fleet.matches()) {
            throw new BadEventException("event field `resources[0]` is not an EC2 Fleet or Spot Fleet request ARN: "
                    + (event.resources().isEmpty() ? "(none)" : EventParser.abbreviate(event.resources().get(0))));
        }
        Owner.Kind kind = fleet.group(1).equals("fleet") ? Owner.Kind.EC2_FLEET : Owner.Kind.SPOT_FLEET;
        if ((kind == Owner.Kind.SPOT_FLEET) != event.is(SOURCE_SPOT_FLEET, SPOT_FLEET_ERROR)) {
            throw new BadEventException("event field `resources[0]` is a " + fleet.group(1) + " but the source is "
                    + EventParser.abbreviate(event.source()));
        }
        return new Failure(new Owner(kind, fleet.group(2)), LaunchFailure.ofFleetSubType(detail.subType()),
                detail.subType() + (detail.description() == null ? "" : ": " + detail.description()));
    }
}
