package dev.deckhand.drain.planner;

/** Why an instance is being drained: one constant per event kind drain-instance handles. */
public enum Signal {
    SPOT_INTERRUPTION("SpotInterruption", "Spot interruption warning"),
    REBALANCE_RECOMMENDATION("RebalanceRecommendation", "EC2 rebalance recommendation"),
    STATE_CHANGE("StateChange", "instance is stopping or shutting down"),
    LIFECYCLE_TERMINATE("LifecycleTerminate", "Auto Scaling terminate lifecycle hook"),
    RETIREMENT("Retirement", "retirement requested by Deckhand"),
    HEALTH_SCHEDULED_CHANGE("HealthScheduledChange", "AWS Health scheduled change"),
    /** Not a drain: a stopped instance runs again, and what Deckhand drained for the stop is re-activated. */
    INSTANCE_RUNNING("InstanceRunning", "instance is running again"),
    /** Not a drain: EC2 completed the reboot or network maintenance Deckhand drained the instance for, and it runs on. */
    MAINTENANCE_OVER("MaintenanceOver", "scheduled maintenance is over"),
    /** Not a drain: the customer moved the maintenance Deckhand drained the instance for over a hop later; it drains again before the new start. */
    MAINTENANCE_MOVED("MaintenanceMoved", "scheduled maintenance was moved later"),
    /** Not a drain: no replacement came for the rebalance recommendation within DECKHAND_REBALANCE_DRAIN_MAX, and the instance is still in service. */
    REBALANCE_UNREPLACED("RebalanceUnreplaced", "no replacement came for the rebalance recommendation");

    private final String metricName;
    private final String description;

    Signal(String metricName, String description) {
        this.metricName = metricName;
        this.description = description;
    }

    /** True for the ways an instance comes back, whose request re-activates rather than drains. */
    public boolean reactivates() {
        return this == INSTANCE_RUNNING || this == MAINTENANCE_OVER || this == MAINTENANCE_MOVED || this == REBALANCE_UNREPLACED;
    }

    /** The value of the {@code Signal} metric dimension. */
    public String metricName() {
        return metricName;
    }

    /** How the signal reads in a log line. */
    public String description() {
        return description;
    }
}
