package dev.deckhand.rebalance.handler;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EcsArns;
import dev.deckhand.core.event.EventParser;
import java.util.List;

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
record ContainerInstanceStateChange(Boolean agentConnected, String clusterArn, String containerInstanceArn,
                                           String ec2InstanceId, String status, Integer runningTasksCount,
                                           Integer pendingTasksCount, List<Resource> registeredResources,
                                           List<Resource> remainingResources) {

    /** The statuses ECS documents for a container instance. */
    private static final List<String> STATUSES = List.of("REGISTERING", "REGISTRATION_FAILED", "ACTIVE", "INACTIVE",
            "DEREGISTERING", "DRAINING");

    /** One of the instance's resources (CPU, MEMORY, PORTS, ...). */
    public record Resource(String name, Integer integerValue) {
    }

    public ContainerInstanceStateChange {
        EcsArns.clusterName("detail.clusterArn", clusterArn);
        if (status == null) {
            throw new BadEventException("event field `detail.status` is missing");
        }
        if (!STATUSES.contains(status)) {
            throw new BadEventException("event field `detail.status` is " + EventParser.abbreviate(status)
                    + ", not a container instance status (" + String.join(", ", STATUSES) + ")");
        }
        if ((runningTasksCount != null && runningTasksCount < 0) || (pendingTasksCount != null && pendingTasksCount < 0)) {
            throw new BadEventException("event fields `detail.runningTasksCount` and `detail.pendingTasksCount` must not be negative");
        }
    }

    /**
     * New capacity: ACTIVE, agent connected, nothing running or pending yet. AWS's older documented
     * example carries no task counts; then nothing reserved (remaining CPU and memory equal to the
     * registered) says the same.
     */
    boolean isNewCapacity() {
        if (!"ACTIVE".equals(status) || !Boolean.TRUE.equals(agentConnected)) {
            return false;
        }
        if (runningTasksCount != null || pendingTasksCount != null) {
            return (runningTasksCount == null ? 0 : runningTasksCount) == 0 && (pendingTasksCount == null ? 0 : pendingTasksCount) == 0;
        }
        return unreserved("CPU") && unreserved("MEMORY");
    }

    private boolean unreserved(String name) {
        Integer registered = value(registeredResources, name);
        return registered != null && registered.equals(value(remainingResources, name));
    }

    private static Integer value(List<Resource> resources, String name) {
        if (resources == null) {
            return null;
        }
        return resources.stream().filter(r -> name.equals(r.name())).map(Resource::integerValue).findFirst().orElse(null);
    }

    String cluster() {
        return EcsArns.clusterName("detail.clusterArn", clusterArn);
    }
}
