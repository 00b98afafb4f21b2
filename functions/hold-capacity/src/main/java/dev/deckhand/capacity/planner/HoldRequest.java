package dev.deckhand.capacity.planner;

import dev.deckhand.core.event.LaunchFailure;
import java.time.Instant;

/**
 * The one request every event hold-capacity takes becomes: which event, when, why, and what it
 * says was lost.
 *
 * <pre>{@code
 * HoldRequest warning = new HoldRequest(event.id(), event.time(), Trigger.SPOT_INTERRUPTION,
 *         new HoldRequest.InstanceLost("i-1234567890abcdef0"));
 * }</pre>
 *
 * @param eventId the EventBridge event id, carried into every log line and the result
 * @param time    the event's time: the planner's clock for it (a scheduled run's time is when it was due)
 */
public record HoldRequest(String eventId, Instant time, Trigger trigger, Lost lost) {

    /** What sent the event; its name is the result's {@code trigger}. */
    public enum Trigger { SPOT_INTERRUPTION, REBALANCE_RECOMMENDATION, LAUNCH_UNSUCCESSFUL, FLEET_ERROR, SCHEDULE }

    /** What the event says was lost: a Spot instance, a group's or a fleet's Spot launch, or nothing (the schedule). */
    public sealed interface Lost permits InstanceLost, GroupLaunchFailed, FleetLaunchFailed, Schedule {
    }

    /** A Spot interruption warning or rebalance recommendation names the instance. */
    public record InstanceLost(String instanceId) implements Lost {
    }

    /** A Spot launch of Auto Scaling group {@code group} failed; {@code cause} is what AWS's StatusMessage says. */
    public record GroupLaunchFailed(String group, LaunchFailure.Cause cause) implements Lost {
    }

    /** A Spot Fleet or EC2 Fleet failed to launch; {@code subType} is the error's, {@code cause} what it means. */
    public record FleetLaunchFailed(String fleetId, String subType, LaunchFailure.Cause cause) implements Lost {
    }

    /** The scheduled hand-back run: nothing lost. */
    public record Schedule() implements Lost {
    }
}
