package dev.deckhand.local.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** Reads every container instance of every cluster, keyed by EC2 instance id, for before/after tables. */
final class FleetView {

    private final EcsClient ecs;
    private final Ec2Client ec2;

    FleetView(EcsClient ecs, Ec2Client ec2) {
        this.ecs = ecs;
        this.ec2 = ec2;
    }

    Map<String, InstanceRow> read() {
        Map<String, String> market = new HashMap<>();
        ec2.describeInstancesPaginator().reservations().forEach(reservation -> reservation.instances().forEach(instance ->
                market.put(instance.instanceId(), instance.instanceLifecycle() == null ? "on-demand"
                        : instance.instanceLifecycleAsString())));
        Map<String, InstanceRow> rows = new LinkedHashMap<>();
        List<String> clusters = new ArrayList<>();
        ecs.listClustersPaginator().clusterArns().forEach(arn -> clusters.add(arn.substring(arn.lastIndexOf('/') + 1)));
        clusters.sort(null);
        for (String cluster : clusters) {
            List<String> arns = new ArrayList<>();
            ecs.listContainerInstancesPaginator(r -> r.cluster(cluster)).containerInstanceArns().forEach(arns::add);
            for (int from = 0; from < arns.size(); from += 100) {
                List<String> batch = arns.subList(from, Math.min(from + 100, arns.size()));
                for (ContainerInstance instance : ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(batch))
                        .containerInstances()) {
                    rows.put(instance.ec2InstanceId(), new InstanceRow(cluster, instance.ec2InstanceId(), zone(instance),
                            market.getOrDefault(instance.ec2InstanceId(), "?"), instance.status(), instance.runningTasksCount()));
                }
            }
        }
        return rows;
    }

    private static String zone(ContainerInstance instance) {
        for (Attribute attribute : instance.attributes()) {
            if (attribute.name().equals("ecs.availability-zone")) {
                return attribute.value();
            }
        }
        return "?";
    }
}
