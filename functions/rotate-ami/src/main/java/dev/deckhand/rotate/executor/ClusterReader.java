package dev.deckhand.rotate.executor;

import dev.deckhand.rotate.planner.Node;
import dev.deckhand.rotate.planner.Owner;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Reads one cluster for the planner: its container instances (ListContainerInstances paged by 100,
 * DescribeContainerInstances by 100) and their EC2 instances (DescribeInstances by 200: image, launch
 * time, launch template, Deckhand's retirement tag).
 */
final class ClusterReader {

    static final String RETIRING_TAG = "deckhand:retiring";
    static final String TEMPLATE_TAG = "aws:ec2launchtemplate:id";

    private final EcsClient ecs;
    private final Ec2Client ec2;

    ClusterReader(EcsClient ecs, Ec2Client ec2) {
        this.ecs = ecs;
        this.ec2 = ec2;
    }

    /**
     * @param followsDefault whether an owner launches from its template's default version (so that its
     *                       instances should run that version's image); owners that pin another version are not rotated
     * @return the nodes, or null when the cluster does not exist
     */
    List<Node> read(String cluster, Map<String, Owner> owners, Map<Owner, String> followsDefault) {
        List<ContainerInstance> containerInstances = new ArrayList<>();
        try {
            List<String> arns = new ArrayList<>();
            ecs.listContainerInstancesPaginator(r -> r.cluster(cluster).maxResults(100)).containerInstanceArns().forEach(arns::add);
            for (int i = 0; i < arns.size(); i += 100) {
                List<String> batch = arns.subList(i, Math.min(arns.size(), i + 100));
                containerInstances.addAll(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(batch)).containerInstances());
            }
        } catch (ClusterNotFoundException e) {
            return null;
        }
        Map<String, Instance> instances = new HashMap<>();
        List<String> ids = containerInstances.stream().map(ContainerInstance::ec2InstanceId).toList();
        for (int i = 0; i < ids.size(); i += 200) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 200));
            ec2.describeInstancesPaginator(r -> r.instanceIds(batch)).reservations()
                    .forEach(reservation -> reservation.instances().forEach(instance -> instances.put(instance.instanceId(), instance)));
        }
        List<Node> nodes = new ArrayList<>();
        for (ContainerInstance ci : containerInstances) {
            Instance instance = instances.get(ci.ec2InstanceId());
            if (instance == null || !"running".equals(instance.state().nameAsString())) {
                continue;
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
            int tasks = ci.runningTasksCount() == null ? 0 : ci.runningTasksCount();
            tasks += ci.pendingTasksCount() == null ? 0 : ci.pendingTasksCount();
            nodes.add(new Node(instance.instanceId(), ci.containerInstanceArn(), ci.status(), Boolean.TRUE.equals(ci.agentConnected()),
                    tasks, instance.imageId(), instance.launchTime(), template, owner, time(tag(instance, RETIRING_TAG))));
        }
        return nodes;
    }

    private static String tag(Instance instance, String key) {
        return instance.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    private static Instant time(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;   // someone else's value: still marked, and as old as can be
        }
    }
}
