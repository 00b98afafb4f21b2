package dev.deckhand.capacity.planner;

import java.util.List;

/**
 * The Spot capacity of a cluster, or of one of its Spot sources, as read.
 *
 * @param desired   the Spot capacity asked for (a Spot group's desired capacity, a fleet's Spot target)
 * @param inService what is running and in service
 * @param launching what is launching now (pending); not yet in service, not yet short either
 */
public record SpotSide(int desired, int inService, int launching) {

    public static final SpotSide NONE = new SpotSide(0, 0, 0);

    /** How much Spot capacity is missing: asked for, and neither in service nor launching. */
    public int shortfall() {
        return Math.max(0, desired - inService - launching);
    }

    /** True when everything asked for is in service. */
    public boolean atDesired() {
        return inService >= desired;
    }

    public static SpotSide sum(List<SpotSide> sides) {
        int desired = 0;
        int inService = 0;
        int launching = 0;
        for (SpotSide side : sides) {
            desired += side.desired;
            // One source's surplus does not cover another's shortfall in another pool.
            inService += Math.min(side.inService, side.desired);
            launching += Math.min(side.launching, Math.max(0, side.desired - side.inService));
        }
        return new SpotSide(desired, inService, launching);
    }
}
