package dev.deckhand.drain.planner;

/** Why an instance is being drained: one constant per event kind drain-instance handles. */
public enum Signal {
    SPOT_INTERRUPTION("SpotInterruption");

    private final String metricName;

    Signal(String metricName) {
        this.metricName = metricName;
    }

    /** The value of the {@code Signal} metric dimension. */
    public String metricName() {
        return metricName;
    }
}
