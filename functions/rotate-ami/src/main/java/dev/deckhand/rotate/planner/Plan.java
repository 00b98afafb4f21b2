package dev.deckhand.rotate.planner;

import java.util.List;

/**
 * What one run does to one cluster: the instances to mark and hand to drain-instance, the
 * retiring ones whose request is sent again (still ACTIVE: the event may have been lost), the
 * drained ones to terminate through their owner, a canary to record, a rollback, and why the rest wait.
 */
public record Plan(String cluster, List<Retirement> retire, List<Node> resend, List<Node> terminate, Canary canary,
                   Rollback rollback, String waiting, List<Skipped> skipped, int draining, int allowedDraining) {

    public record Retirement(Node node, String reason, boolean canary) {
    }

    /** The canary's replacement never came: restore the template's previous default version. */
    public record Rollback(String templateId, String imageId, String reason) {
    }

    public record Skipped(String ec2InstanceId, String reason) {
    }
}
