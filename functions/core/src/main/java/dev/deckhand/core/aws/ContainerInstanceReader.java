package dev.deckhand.core.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;

/**
 * Reads a cluster's container instances the way the ECS API allows: ListContainerInstances paged by
 * 100, DescribeContainerInstances 100 at a time (ECS API Reference: {@code maxResults} and
 * {@code containerInstances}, "up to 100"). A cluster that does not exist throws ECS's
 * {@code ClusterNotFoundException}, for the caller to report.
 *
 * <pre>{@code
 * List<ContainerInstance> active = new ContainerInstanceReader(ecs).described("web", ContainerInstanceStatus.ACTIVE);
 * }</pre>
 */
public final class ContainerInstanceReader {

    static final int BATCH = 100;

    private final EcsClient ecs;

    public ContainerInstanceReader(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** The ARNs of the cluster's container instances in {@code status}; null: every status ListContainerInstances lists by default (not INACTIVE). */
    public List<String> arns(String cluster, ContainerInstanceStatus status) {
        List<String> arns = new ArrayList<>();
        ecs.listContainerInstancesPaginator(r -> r.cluster(cluster).status(status).maxResults(BATCH)).containerInstanceArns()
                .forEach(arns::add);
        return arns;
    }

    /** The cluster's container instances in {@code status} (null as for {@link #arns}), described. */
    public List<ContainerInstance> described(String cluster, ContainerInstanceStatus status) {
        List<String> arns = arns(cluster, status);
        List<ContainerInstance> instances = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += BATCH) {
            List<String> batch = arns.subList(from, Math.min(from + BATCH, arns.size()));
            instances.addAll(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(batch)).containerInstances());
        }
        return instances;
    }
}
