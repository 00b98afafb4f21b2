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
        NOT_DRAINABLE,
        /** A rebalance recommendation under the {@code notify} policy: say it, change nothing. */
        NOTIFY,
        /**
         * ECS drains this instance itself (its capacity provider has managed instance draining, or is
         * an ECS Managed Instances provider): no drain, no tag, the hook of ECS's own left to ECS.
         */
        LEFT_TO_ECS,
        /** A rebalance recommendation under the {@code ignore} policy: no AWS call at all. */
        IGNORED,
        /** The instance runs again after a stop Deckhand drained it for: set it ACTIVE. */
        REACTIVATE,
        /** The instance runs again, DRAINING, but not by Deckhand for a stop (an operator, a termination): left alone. */
        LEFT_DRAINING,
        /** The instance runs again and is not DRAINING: nothing to re-activate. */
        NOT_DRAINING;

        /** True for the decisions that send an operator one notification line. */
        public boolean notifies() {
            return this == DRAIN || this == NOTIFY || this == REACTIVATE;
        }
    }
}
