package dev.deckhand.drain.planner;

/** Which Auto Scaling lifecycle hook an instance waits on. */
public enum HookKind {
    /** Terminating:Wait: drain, wait for the tasks to leave, then CONTINUE. */
    TERMINATE("autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE"),
    /** Pending:Wait: wait until the instance is ACTIVE in its cluster with its agent connected, then CONTINUE. */
    LAUNCH("autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON");

    private final String transition;
    private final String resultWhenGivingUp;

    HookKind(String transition, String resultWhenGivingUp) {
        this.transition = transition;
        this.resultWhenGivingUp = resultWhenGivingUp;
    }

    public String transition() {
        return transition;
    }

    /**
     * The result when Deckhand cannot go on (deadline passed, or its last retry failed): a terminating
     * instance goes anyway, so CONTINUE; a launching instance that never became usable is ABANDONed.
     */
    public String resultWhenGivingUp() {
        return resultWhenGivingUp;
    }
}
