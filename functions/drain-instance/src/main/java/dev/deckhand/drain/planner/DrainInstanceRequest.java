package dev.deckhand.drain.planner;

/**
 * The one request every event drain-instance is routed becomes (the handler parses it; the flow
 * takes it from there): a drain signal, an AWS Health scheduled change, a retirement another
 * function asks for, or the start of a lifecycle hook's wait. The recheck queue's batches are not
 * events: they carry {@link Recheck}s.
 */
public sealed interface DrainInstanceRequest permits DrainRequest, ScheduledChange, RetirementRequest, HookStart {

    String eventId();
}
