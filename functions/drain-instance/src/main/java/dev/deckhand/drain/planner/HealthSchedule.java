package dev.deckhand.drain.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * When an AWS Health scheduled change drains its instances: {@code lead} before the change's
 * {@code startTime}. Pure: the caller gives the time.
 *
 * <pre>{@code
 * HealthSchedule schedule = new HealthSchedule(startTime, Duration.ofHours(1));
 * if (schedule.due(now)) { drain now } else { check again after schedule.nextCheck(now) }
 * }</pre>
 */
public record HealthSchedule(Instant startTime, Duration lead) {

    /** SQS's longest message delay (DelaySeconds 900): the longest wait one recheck message can hold. */
    public static final Duration MAX_HOP = Duration.ofSeconds(900);

    /**
     * The EC2 scheduled changes that take the instance away (stopped, retired, rebooted, or its
     * network cut), by the AWS Health event type codes AWS's own pages name: the AWS Health User
     * Guide's EventBridge schema reference (its retirement sample; REBOOT_ and NETWORK_MAINTENANCE
     * in the eventTypeCode row), "Running operations on EC2 instances automatically in response to
     * events in AWS Health" (PERSISTENT_INSTANCE_RETIREMENT) and the Amazon Q Developer in chat
     * applications page (STOP). Any other code of the scheduledChange category is logged with its
     * code and left alone: an operator sees it and can add it here.
     */
    public static final Set<String> DRAINING_CODES = Set.of(
            "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
            "AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED",
            "AWS_EC2_INSTANCE_STOP_SCHEDULED",
            "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED",
            "AWS_EC2_INSTANCE_NETWORK_MAINTENANCE_SCHEDULED");

    public static boolean drains(String eventTypeCode) {
        return DRAINING_CODES.contains(eventTypeCode);
    }

    /**
     * Whether the instance comes back after the change: a stopped instance can be started again with
     * the same container instance, and after reboot or network maintenance it runs on. Deckhand
     * re-activates both (the first when it runs again, the second once EC2 completes the maintenance).
     */
    public static DrainedFor drainedFor(String eventTypeCode) {
        if (eventTypeCode == null) {
            return DrainedFor.TERMINATION;
        }
        return switch (eventTypeCode) {
            case "AWS_EC2_INSTANCE_STOP_SCHEDULED" -> DrainedFor.STOP;
            case "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED", "AWS_EC2_INSTANCE_NETWORK_MAINTENANCE_SCHEDULED" -> DrainedFor.MAINTENANCE;
            default -> DrainedFor.TERMINATION;
        };
    }

    /**
     * The EC2 scheduled event codes (DescribeInstanceStatus) of a Health change: reboot maintenance
     * is {@code instance-reboot} or {@code system-reboot}, network maintenance {@code system-maintenance},
     * a stop {@code instance-stop}, a retirement {@code instance-retirement} or, for an EBS-backed
     * instance, {@code instance-stop}.
     */
    public static Set<String> ec2EventCodes(String eventTypeCode) {
        return switch (eventTypeCode == null ? "" : eventTypeCode) {
            case "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED" -> Set.of("instance-reboot", "system-reboot");
            case "AWS_EC2_INSTANCE_NETWORK_MAINTENANCE_SCHEDULED" -> Set.of("system-maintenance");
            case "AWS_EC2_INSTANCE_STOP_SCHEDULED" -> Set.of("instance-stop");
            case "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED" ->
                    Set.of("instance-retirement", "instance-stop");
            default -> Set.of();
        };
    }

    /** When the drain starts: {@code lead} before the change. */
    public Instant drainAt() {
        return startTime.minus(lead);
    }

    /** True once the drain time has come (an event that arrives inside the lead, or after the start, is due at once). */
    public boolean due(Instant now) {
        return !now.isBefore(drainAt());
    }

    /** How long the next check waits: up to the drain time, at most one SQS delay, at least a second. */
    public Duration nextCheck(Instant now) {
        return hopUntil(now, drainAt());
    }

    /**
     * How long a recheck message waits to land on {@code at}: at most one SQS delay, at least a
     * second. Every chain of hops (a scheduled drain, a maintenance watch, a rebalance bound) counts
     * its next hop here.
     */
    public static Duration hopUntil(Instant now, Instant at) {
        Duration left = Duration.between(now, at);
        if (left.compareTo(MAX_HOP) > 0) {
            return MAX_HOP;
        }
        // SQS delays are whole seconds: round up, so the hop never lands before its time.
        long seconds = (left.toMillis() + 999) / 1000;
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
