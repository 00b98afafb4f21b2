package dev.deckhand.capacity.planner;

/**
 * How a cluster's On-Demand capacity is raised: the lever its capacity already uses, read from the
 * resource tagged {@code deckhand:hold-capacity}.
 */
public enum LeverKind {
    /** An Auto Scaling group of On-Demand instances: its desired capacity. */
    ON_DEMAND_GROUP("DesiredCapacity"),
    /** An Auto Scaling group with a mixed instances policy: its OnDemandBaseCapacity. */
    MIXED_GROUP("OnDemandBaseCapacity"),
    /** A Spot Fleet request of type maintain with an On-Demand part: its OnDemandTargetCapacity, the TargetCapacity raised with it (Spot part unchanged). */
    SPOT_FLEET("OnDemandTargetCapacity"),
    /** An EC2 Fleet of type maintain: its OnDemandTargetCapacity, the total target raised with it (Spot target unchanged). */
    EC2_FLEET("OnDemandTargetCapacity");

    private final String setting;

    LeverKind(String setting) {
        this.setting = setting;
    }

    /** True for a fleet lever (EC2 Fleet or Spot Fleet request): an EC2 resource, tagged and terminated through EC2. */
    public boolean fleet() {
        return this == SPOT_FLEET || this == EC2_FLEET;
    }

    /** The number Deckhand changes, as AWS names it. */
    public String setting() {
        return setting;
    }
}
