package dev.deckhand.drain.planner;

import java.time.Instant;

/**
 * A lifecycle hook's wait begins (its Auto Scaling event): the first check.
 *
 * @param origin      the event's {@code detail.Origin} (EC2, AutoScalingGroup, WarmPool), null if absent
 * @param destination the event's {@code detail.Destination}, null if absent
 */
public record HookStart(HookKind kind, String eventId, String instanceId, String group, String hook, String token, Instant eventTime,
                        String origin, String destination) implements DrainInstanceRequest {
}
