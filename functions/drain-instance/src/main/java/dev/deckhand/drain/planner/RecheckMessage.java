package dev.deckhand.drain.planner;

/**
 * The body of a recheck queue message: a lifecycle hook's next check ({@link HookWaitState}), the
 * next hop of a drain waiting for a scheduled change ({@link ScheduledDrain}, it has {@code drainAt}),
 * or a retirement request back from its wait for the disruption budget ({@link RetirementDeferral},
 * it has {@code retireInstanceId}).
 */
public sealed interface RecheckMessage permits HookWaitState, ScheduledDrain, RetirementDeferral, RebalanceWatch {

    /** The EventBridge event the wait began with: its log lines carry it. */
    String eventId();
}
