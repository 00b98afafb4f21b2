package dev.deckhand.rotate.executor;

import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.ContainerInstanceReader;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.event.IsoInstant;
import dev.deckhand.rotate.planner.Node;
import dev.deckhand.rotate.planner.Owner;
import dev.deckhand.rotate.planner.Plan;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Lists the managed clusters (through {@link ClusterDirectory}: {@code DECKHAND_CLUSTERS}, or every cluster), and
 * reads them for the planner: each cluster's container instances (ListContainerInstances paged by 100,
 * DescribeContainerInstances by 100), then the EC2 instances of all of them together (DescribeInstances
 * by 200: image, launch time, launch template, Deckhand's retirement tag), so a run's EC2 reads do not
 * grow with the number of clusters.
 *
 * <p>EC2 instances are described by the filter {@code instance-id}, not by {@code InstanceIds}: by
 * ids, one id EC2 does not know (an instance gone while ECS keeps its container instance registered,
 * its agent disconnected) or does not accept (an ECS Anywhere {@code mi-} instance) fails the whole
 * call ({@code InvalidInstanceID.NotFound} / {@code .Malformed}); the filter lists what exists. Only
 * EC2-shaped ids are asked for; every container instance left out is reported with the reason.
 */
final class ClusterImagesReader {

    private static final Logger log = LoggerFactory.getLogger(ClusterImagesReader.class);
    static final String RETIRING_TAG = "deckhand:retiring";
    /** An EC2 instance id: {@code i-} and 8 or 17 hexadecimal digits (an ECS Anywhere instance is {@code mi-...}). */
    private static final Pattern EC2_INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    static final String TEMPLATE_TAG = "aws:ec2launchtemplate:id";

    private final Ec2Client ec2;
    private final TaskReader tasks;
    private final ContainerInstanceReader containerInstances;
    private final ClusterDirectory directory;

    ClusterImagesReader(EcsClient ecs, Ec2Client ec2, ClusterDirectory directory) {
        this.ec2 = ec2;
        this.tasks = new TaskReader(ecs);
        this.containerInstances = new ContainerInstanceReader(ecs);
        this.directory = directory;
    }

    /** The managed clusters' names: those configured, or every cluster of the account and region. */
    List<String> clusters() {
        return directory.clusters();
    }

    /**
     * What was read of one cluster: the nodes the planner decides on, and the container instances it
     * cannot rotate (no EC2 instance behind them, or one that is not running), each with the reason.
     */
    record Reading(List<Node> nodes, List<Plan.Skipped> unreadable) {
    }

    /**
     * @param followsDefault whether an owner launches from its template's default version (so that its
     *                       instances should run that version's image); owners that pin another version are not rotated
     * @return each cluster's reading, in the order of {@code clusters}; null for a cluster that does not exist
     */
    Map<String, Reading> read(List<String> clusters, Map<String, Owner> owners, Map<Owner, String> followsDefault) {
        Map<String, List<ContainerInstance>> byCluster = new LinkedHashMap<>();
        for (String cluster : clusters) {
            try {
                byCluster.put(cluster, containerInstances.described(cluster, null));
            } catch (ClusterNotFoundException e) {
                byCluster.put(cluster, null);
            }
        }
        List<String> ids = byCluster.values().stream().filter(Objects::nonNull).flatMap(List::stream).map(ContainerInstance::ec2InstanceId)
                .filter(id -> id != null && EC2_INSTANCE_ID.matcher(id).matches()).distinct().toList();
        Map<String, Instance> instances = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 200) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 200));
            ec2.describeInstancesPaginator(r -> r.filters(f -> f.name("instance-id").values(batch))).reservations()
                    .forEach(reservation -> reservation.instances().forEach(instance -> instances.put(instance.instanceId(), instance)));
        }
        Map<String, Reading> readings = new LinkedHashMap<>();
        byCluster.forEach((cluster, described) -> readings.put(cluster,
                described == null ? null : reading(cluster, described, instances, owners, followsDefault)));
        return readings;
    }

    private Reading reading(String cluster, List<ContainerInstance> containerInstances, Map<String, Instance> instances,
                            Map<String, Owner> owners, Map<Owner, String> followsDefault) {
        List<Node> nodes = new ArrayList<>();
        List<Plan.Skipped> unreadable = new ArrayList<>();
        for (ContainerInstance ci : containerInstances) {
            String id = ci.ec2InstanceId();
            Instance instance = id == null ? null : instances.get(id);
            String why = null;
            if (id == null || !EC2_INSTANCE_ID.matcher(id).matches()) {
                why = "container instance " + ci.containerInstanceArn() + " is not an EC2 instance ("
                        + (id == null ? "no EC2 instance id" : id + ", an ECS Anywhere external instance")
                        + "): rotate-ami rotates EC2 instances only";
            } else if (instance == null) {
                why = "EC2 instance " + id + " no longer exists, but its container instance " + ci.containerInstanceArn()
                        + " is still registered (" + ci.status() + ", agent " + (Boolean.TRUE.equals(ci.agentConnected()) ? "connected" : "disconnected")
                        + "): not rotated; deregister the container instance";
            } else if (!List.of("running", "pending").contains(instance.state().nameAsString())) {
                why = "EC2 instance " + id + " is " + instance.state().nameAsString() + ": not rotated";
            }
            if (why != null) {
                log.atWarn().addKeyValue("cluster", cluster).addKeyValue("instanceId", id).addKeyValue("containerInstanceArn", ci.containerInstanceArn())
                        .log("cluster {}: {}", cluster, why);
                unreadable.add(new Plan.Skipped(id, why));
                continue;
            }
            if (!"running".equals(instance.state().nameAsString())) {
                continue;   // pending: booting, read on the next run
            }
            Owner owner = owners.getOrDefault(instance.instanceId(), Owner.NONE);
            if (!cluster.substring(cluster.lastIndexOf('/') + 1).equals(tag(instance, ConsumerReader.CLUSTER_TAG))) {
                // Not tagged deckhand:cluster (its group's tag not propagated, or another cluster's):
                // the role may neither mark nor terminate it (template.yaml), so nothing may retire it.
                owner = Owner.NONE;
            }
            String template = tag(instance, TEMPLATE_TAG);
            if (template == null) {
                template = followsDefault.get(owner);
            } else if (owner.replaces() && !template.equals(followsDefault.get(owner))) {
                template = null;   // its owner pins another version (or another template): not ours to move
            }
            // A DRAINING instance is terminated at no task left, and a task stopped for the drain is left
            // until it is STOPPED (TaskReader#tasksLeftOn); the others' counts are only reported.
            int left = "DRAINING".equals(ci.status()) ? tasks.tasksLeftOn(cluster, ci)
                    : (ci.runningTasksCount() == null ? 0 : ci.runningTasksCount()) + (ci.pendingTasksCount() == null ? 0 : ci.pendingTasksCount());
            nodes.add(new Node(instance.instanceId(), ci.containerInstanceArn(), ci.status(), Boolean.TRUE.equals(ci.agentConnected()),
                    left, instance.imageId(), instance.launchTime(), template, owner, time(tag(instance, RETIRING_TAG))));
        }
        return new Reading(nodes, unreadable);
    }

    private static String tag(Instance instance, String key) {
        return instance.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    private static Instant time(String value) {
        if (value == null) {
            return null;
        }
        try {
            return IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;   // someone else's value: still marked, and as old as can be
        }
    }
}
