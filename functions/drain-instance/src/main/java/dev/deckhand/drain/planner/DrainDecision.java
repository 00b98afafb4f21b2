package dev.deckhand.drain.planner;

/** What to do with one instance, and why, in words an operator reads in the log. */
public record DrainDecision(Verdict verdict, String reason) {

    public enum Verdict {
        /** Set the container instance DRAINING. */
        DRAIN,
        /** Already DRAINING: no call. */
        ALREADY_DRAINING,
        /** Not registered in any managed cluster: nothing of Deckhand's to do. Not an error. */
        NOT_MANAGED,
        /** Registered, but in a status ECS cannot drain from (REGISTERING, DEREGISTERING, ...). */
        NOT_DRAINABLE
    }
}
