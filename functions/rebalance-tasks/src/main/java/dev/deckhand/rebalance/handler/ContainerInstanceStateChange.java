package dev.deckhand.rebalance.handler;

import dev.deckhand.core.event.BadEventException;

/**
 * The detail of {@code aws.ecs} / {@code ECS Container Instance State Change}: the container
 * instance as DescribeContainerInstances shows it. Example (ECS Developer Guide, container instance
 * state change events), shortened:
 *
 * <pre>{@code
 * "detail": {"agentConnected": true, "clusterArn": "arn:aws:ecs:us-east-2:123456789012:cluster/demo-web",
 *            "containerInstanceArn": "arn:aws:ecs:us-east-2:123456789012:container-instance/demo-web/8f0e...",
 *            "ec2InstanceId": "i-1234567890abcdef0", "status": "ACTIVE",
 *            "runningTasksCount": 0, "pendingTasksCount": 0, "version": 14}
 * }</pre>
 */
public record ContainerInstanceStateChange(Boolean agentConnected, String clusterArn, String containerInstanceArn,
                                           String ec2InstanceId, String status, Integer runningTasksCount,
                                           Integer pendingTasksCount) {

    public ContainerInstanceStateChange {
        if (clusterArn == null || !clusterArn.matches("arn:[\\w-]+:ecs:[\\w-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}")) {
            throw new BadEventException("event field `detail.clusterArn` is missing or not an ECS cluster ARN");
        }
        if (status == null) {
            throw new BadEventException("event field `detail.status` is missing");
        }
    }

    /** New capacity: ACTIVE, agent connected, nothing running or pending yet. */
    boolean isNewCapacity() {
        return "ACTIVE".equals(status) && Boolean.TRUE.equals(agentConnected)
                && (runningTasksCount == null ? 0 : runningTasksCount) == 0
                && (pendingTasksCount == null ? 0 : pendingTasksCount) == 0;
    }

    String cluster() {
        return clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
    }
}
