package dev.deckhand.drain.planner;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.event.IsoInstant;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * An instance drained for a rebalance recommendation, waiting for Auto Scaling to replace and
 * terminate it, carried in the recheck queue's message body (each hop at most SQS's 15-minute delay).
 * Told apart from the other recheck messages by its {@code reactivateAt} field; times end in
 * {@code At} (a replay moves them back by the time it skips).
 *
 * <pre>{@code
 * {"version":1,"eventId":"7bf73129-1428-4cd3-a780-95db273d1602","instanceId":"i-1234567890abcdef0",
 *  "reactivateAt":"2026-11-22T11:00:05Z","hops":2}
 * }</pre>
 *
 * @param eventId      the rebalance recommendation's EventBridge id
 * @param reactivateAt when the instance, still in service, is set ACTIVE again
 * @param hops         how many messages came before this one
 */
public record RebalanceWatch(int version, String eventId, String instanceId, String reactivateAt, int hops) implements RecheckMessage {

    public static final int VERSION = 1;
    /** The field that tells this message apart. */
    public static final String KEY = "reactivateAt";

    /** What the watch does at a hop. */
    public enum Step {
        /** Before {@code reactivateAt}: the next hop. */
        WAIT,
        /** Auto Scaling terminates it, or it left its group: the drain stays, the watch ends. */
        REPLACED,
        /** Still in service at {@code reactivateAt}: nothing replaced it; re-activate it. */
        REACTIVATE
    }

    public RebalanceWatch {
        if (version != VERSION) {
            throw new BadRecheckMessageException("rebalance watch message field `version` must be " + VERSION + ", got " + version);
        }
        if (!ClusterDirectory.isInstanceId(instanceId)) {
            throw new BadRecheckMessageException("rebalance watch message field `instanceId` is not an EC2 instance id");
        }
        if (eventId == null || eventId.isBlank() || eventId.length() > 256) {
            throw new BadRecheckMessageException("rebalance watch message field `eventId` is missing or too long");
        }
        try {
            IsoInstant.parse(reactivateAt == null ? "" : reactivateAt);
        } catch (DateTimeParseException e) {
            throw new BadRecheckMessageException("rebalance watch message field `reactivateAt` is not an ISO-8601 time");
        }
        if (hops < 0) {
            throw new BadRecheckMessageException("rebalance watch message field `hops` must not be negative");
        }
    }

    public static RebalanceWatch of(String eventId, String instanceId, Instant drainedAt, Duration bound) {
        return new RebalanceWatch(VERSION, eventId, instanceId, drainedAt.plus(bound).toString(), 0);
    }

    public RebalanceWatch next() {
        return new RebalanceWatch(version, eventId, instanceId, reactivateAt, hops + 1);
    }

    /** True once the bound is reached: the instance's place in its group is read then, and only then. */
    public boolean due(Instant now) {
        return !now.isBefore(IsoInstant.parse(reactivateAt));
    }

    /**
     * @param lifecycleState the instance's Auto Scaling lifecycle state ({@code InService},
     *                       {@code Terminating:Wait}, ...), null when no group has it any more
     */
    public Step step(Instant now, String lifecycleState) {
        if (!due(now)) {
            return Step.WAIT;
        }
        return "InService".equals(lifecycleState) ? Step.REACTIVATE : Step.REPLACED;
    }

    /** How long until the next hop: up to {@code reactivateAt}, at most one SQS delay. */
    public Duration nextCheck(Instant now) {
        return HealthSchedule.hopUntil(now, IsoInstant.parse(reactivateAt));
    }
}
