package dev.deckhand.core.aws;

import dev.deckhand.core.config.ManagedClusters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;

/**
 * Finds the container instance of an EC2 instance among the managed clusters, and remembers the
 * answer for the life of the Lambda container.
 *
 * <pre>{@code
 * ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.of("web", "batch"), Clock.systemUTC());
 * Optional<FoundInstance> found = directory.find("i-1234567890abcdef0");
 * }</pre>
 *
 * Cold, it asks each candidate cluster with the {@code ec2InstanceId ==} filter (clusters where an
 * instance was found before are asked first), then describes the match. Warm, it describes the
 * remembered container instance directly. Either way the described instance's {@code ec2InstanceId}
 * is checked before it is returned, so a stale cache or a filter that matched too much never
 * leads to acting on another instance.
 */
public final class ClusterDirectory {

    private static final Logger log = LoggerFactory.getLogger(ClusterDirectory.class);
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final int CACHE_LIMIT = 20_000;
    /** How long a listing of every cluster (DECKHAND_CLUSTERS empty) is reused. */
    static final Duration CLUSTER_LIST_TTL = Duration.ofMinutes(5);

    private record Location(String cluster, String containerInstanceArn) {
    }

    private final EcsClient ecs;
    private final ManagedClusters managed;
    private final Clock clock;
    private final Map<String, Location> locations = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Location> eldest) {
            return size() > CACHE_LIMIT;
        }
    });
    /** Clusters an instance was found in, most recent last: asked first on the next cold lookup. */
    private final LinkedHashSet<String> recentHits = new LinkedHashSet<>();
    private List<String> allClusters;
    private Instant allClustersListedAt;

    public ClusterDirectory(EcsClient ecs, ManagedClusters managed, Clock clock) {
        this.ecs = ecs;
        this.managed = managed;
        this.clock = clock;
    }

    /** True for a well-formed EC2 instance id ({@code i-} and 8 or 17 hex digits). */
    public static boolean isInstanceId(String value) {
        return value != null && INSTANCE_ID.matcher(value).matches();
    }

    public Optional<FoundInstance> find(String ec2InstanceId) {
        Location cached = locations.get(ec2InstanceId);
        if (cached != null) {
            Optional<FoundInstance> found = describe(cached.cluster(), List.of(cached.containerInstanceArn()), ec2InstanceId);
            if (found.isPresent()) {
                return found;
            }
            locations.remove(ec2InstanceId);
            log.atInfo().addKeyValue("instanceId", ec2InstanceId).addKeyValue("cluster", cached.cluster())
                    .log("remembered container instance is gone; searching the managed clusters again");
        }
        for (String cluster : candidates()) {
            List<String> arns = listByInstanceId(cluster, ec2InstanceId);
            if (arns == null || arns.isEmpty()) {
                continue;
            }
            Optional<FoundInstance> found = describe(cluster, arns, ec2InstanceId);
            if (found.isPresent()) {
                remember(ec2InstanceId, found.get());
                return found;
            }
            log.atWarn().addKeyValue("instanceId", ec2InstanceId).addKeyValue("cluster", cluster)
                    .log("the ec2InstanceId filter matched container instances of another EC2 instance; ignored");
        }
        return Optional.empty();
    }

    /**
     * The managed clusters' names: those configured, or every cluster of the account and region
     * (ListClusters paged by 100, the listing reused for {@link #CLUSTER_LIST_TTL}).
     */
    public List<String> clusters() {
        return clusters(Integer.MAX_VALUE - 1);
    }

    /**
     * The managed clusters, of every cluster at most {@code atMost + 1} (one more than asked tells the
     * caller its bound was hit): ListClusters stops paging there. Only a complete listing is reused.
     */
    public List<String> clusters(int atMost) {
        if (!managed.isAll()) {
            return managed.names();
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (allClusters != null && !allClustersListedAt.plus(CLUSTER_LIST_TTL).isBefore(now)) {
                return allClusters.subList(0, Math.min(allClusters.size(), atMost + 1));
            }
            List<String> names = new ArrayList<>();
            String token = null;
            do {
                String next = token;
                ListClustersResponse page = ecs.listClusters(r -> r.maxResults(100).nextToken(next));
                page.clusterArns().forEach(arn -> names.add(arn.substring(arn.lastIndexOf('/') + 1)));
                token = page.nextToken();
            } while (token != null && names.size() <= atMost);
            if (token == null) {
                allClusters = List.copyOf(names);
                allClustersListedAt = now;
            }
            return names.subList(0, Math.min(names.size(), atMost + 1));
        }
    }

    /** The clusters to search, in the order to search them. */
    public List<String> candidates() {
        List<String> clusters = clusters();
        List<String> ordered = new ArrayList<>();
        synchronized (recentHits) {
            List<String> hits = new ArrayList<>(recentHits);
            Collections.reverse(hits);
            for (String hit : hits) {
                if (clusters.contains(hit)) {
                    ordered.add(hit);
                }
            }
        }
        for (String cluster : clusters) {
            if (!ordered.contains(cluster)) {
                ordered.add(cluster);
            }
        }
        return ordered;
    }

    /** The ARNs the filter matches in {@code cluster}, or null when the cluster does not exist. */
    private List<String> listByInstanceId(String cluster, String ec2InstanceId) {
        try {
            List<String> arns = new ArrayList<>();
            ecs.listContainerInstancesPaginator(ListContainerInstancesRequest.builder()
                            .cluster(cluster)
                            .filter("ec2InstanceId == " + ec2InstanceId)
                            .build())
                    .containerInstanceArns().forEach(arns::add);
            return arns;
        } catch (ClusterNotFoundException e) {
            log.atWarn().addKeyValue("cluster", cluster)
                    .log("managed cluster does not exist in this account and region; check " + ManagedClusters.KEY);
            return null;
        }
    }

    private Optional<FoundInstance> describe(String cluster, List<String> arns, String ec2InstanceId) {
        DescribeContainerInstancesResponse response;
        try {
            // With its tags: a drain that reached ECS before a failure left its event id there.
            response = ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns)
                    .include(ContainerInstanceField.TAGS));
        } catch (ClusterNotFoundException e) {
            return Optional.empty();
        }
        for (ContainerInstance instance : response.containerInstances()) {
            if (ec2InstanceId.equals(instance.ec2InstanceId()) && !"INACTIVE".equals(instance.status())) {
                return Optional.of(new FoundInstance(cluster, instance));
            }
        }
        return Optional.empty();
    }

    private void remember(String ec2InstanceId, FoundInstance found) {
        locations.put(ec2InstanceId, new Location(found.cluster(), found.containerInstanceArn()));
        synchronized (recentHits) {
            recentHits.remove(found.cluster());
            recentHits.add(found.cluster());
        }
    }
}
