package dev.deckhand.drain.planner;

/**
 * A {@code Deckhand Instance Retirement Requested} from rotate-ami or hold-capacity: drain the
 * instance within the retirement budget.
 */
public record RetirementRequest(String eventId, String instanceId, String reason, String requestedBy) implements DrainInstanceRequest {
}
