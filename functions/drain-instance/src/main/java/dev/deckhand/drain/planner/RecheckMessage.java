package dev.deckhand.drain.planner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of a recheck queue message: a lifecycle hook's next check ({@link HookWaitState}), the
 * next hop of a drain waiting for a scheduled change or watching its maintenance ({@link ScheduledDrain},
 * it has {@code drainAt}), a retirement request back from its wait for the disruption budget
 * ({@link RetirementDeferral}, it has {@code retireInstanceId}), or the bound of a drain for a
 * rebalance recommendation ({@link RebalanceWatch}, it has {@code reactivateAt}).
 */
public sealed interface RecheckMessage permits HookWaitState, ScheduledDrain, RetirementDeferral, RebalanceWatch {

    /** The EventBridge event the wait began with: its log lines carry it. */
    String eventId();

    /** Which message a JSON object body is, told apart by its key; a hook check when it has none of them. */
    static Class<? extends RecheckMessage> typeOf(JsonNode body) {
        if (body.has(RebalanceWatch.KEY)) {
            return RebalanceWatch.class;
        }
        if (body.has(RetirementDeferral.KEY)) {
            return RetirementDeferral.class;
        }
        if (body.has(ScheduledDrain.KEY)) {
            return ScheduledDrain.class;
        }
        return HookWaitState.class;
    }
}
