package dev.deckhand.local.simulate;

import dev.deckhand.emulator.FleetSeeder;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.simulate.Scenario.ClusterSpec;
import dev.deckhand.local.simulate.Scenario.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * Builds a scenario's fleet on the emulator in few calls: one RunInstances per cluster, zone and
 * market (AWS takes a count), one RegisterContainerInstance per instance with the scenario's
 * capacity, services with their deployment limits, and their tasks spread over zones then
 * instances (as ECS's default placement) with up to ten instances per StartTask; each service's
 * first deployment is then complete, as in a fleet that has been running a while.
 */
final class ScenarioFleet {

    /** What simulate knows of an instance; {@code group} is the Auto Scaling group that owns it, or null. */
    record FleetInstance(String ec2InstanceId, String cluster, String zone, boolean spot, String containerInstanceArn,
                         ClusterSpec spec, String group) {
    }

    private final EcsClient ecs;
    private final Ec2Client ec2;
    private final LocalAws emulator;
    private final String region;
    private final AccountSeeder seeder;
    private final Map<String, String> taskDefinitions = new HashMap<>();
    private final AutoScalingClient autoscaling;
    private final Map<String, String> groups = new LinkedHashMap<>();

    ScenarioFleet(EcsClient ecs, Ec2Client ec2, AutoScalingClient autoscaling, LocalAws emulator, String region) {
        this.ecs = ecs;
        this.ec2 = ec2;
        this.autoscaling = autoscaling;
        this.emulator = emulator;
        this.region = region;
        this.seeder = new AccountSeeder(ecs, ec2, region);
    }

    /** The Auto Scaling groups seeded, by name: the cluster each one's instances join. */
    Map<String, String> groups() {
        return groups;
    }

    /** Seeds every cluster; calls {@code progress} with the number of instances registered so far. */
    Map<String, FleetInstance> seed(Scenario scenario, IntConsumer progress) {
        Map<String, FleetInstance> fleet = new LinkedHashMap<>();
        for (ClusterSpec spec : scenario.clusters()) {
            for (String cluster : spec.names()) {
                seeder.cluster(cluster);
                List<FleetInstance> instances = new ArrayList<>();
                for (int z = 0; z < spec.zones().size(); z++) {
                    String zone = spec.zones().get(z);
                    int spot = share(spec.spot(), spec.zones().size(), z);
                    int onDemand = share(spec.onDemand(), spec.zones().size(), z);
                    for (Instance instance : launch(cluster, zone, true, spot)) {
                        instances.add(register(cluster, spec, instance, true, null));
                    }
                    if (spec.amiParameter() == null) {
                        for (Instance instance : launch(cluster, zone, false, onDemand)) {
                            instances.add(register(cluster, spec, instance, false, null));
                        }
                    }
                    progress.accept(fleet.size() + instances.size());
                }
                if (spec.amiParameter() != null) {
                    instances.addAll(autoScalingGroup(cluster, spec));
                    progress.accept(fleet.size() + instances.size());
                }
                instances.forEach(instance -> fleet.put(instance.ec2InstanceId(), instance));
                for (ServiceSpec service : spec.services()) {
                    service(cluster, service, interleaved(instances, spec));
                }
            }
        }
        return fleet;
    }

    /** A replacement Auto Scaling launched for an instance that went: same cluster, zone and market. */
    FleetInstance replace(FleetInstance gone) {
        Instance instance = launch(gone.cluster(), gone.zone(), gone.spot(), 1).get(0);
        return register(gone.cluster(), gone.spec(), instance, gone.spot(), null);
    }

    /**
     * The cluster's On-Demand instances as an Auto Scaling group {@code CLUSTER-asg} launches them: from
     * the launch template {@code CLUSTER} ({@code $Default}), which is tagged {@code deckhand:ami-parameter}
     * with the cluster's parameter and names the image that parameter holds; the group and its instances
     * carry {@code deckhand:cluster}, as an operator tags a managed cluster's.
     */
    private List<FleetInstance> autoScalingGroup(String cluster, ClusterSpec spec) {
        String name = cluster + "-asg";
        var templates = new FleetSeeder(ecs, ec2, autoscaling, null, region);
        String template = templates.template(cluster, AccountSeeder.AMI, cluster, spec.amiParameter());
        autoscaling.createAutoScalingGroup(r -> r.autoScalingGroupName(name).minSize(0).maxSize(spec.onDemand() * 2)
                .desiredCapacity(spec.onDemand()).availabilityZones(spec.zones().stream().map(z -> region + z).toList())
                .launchTemplate(t -> t.launchTemplateId(template).version("$Default"))
                .tags(t -> t.key(AccountSeeder.CLUSTER_TAG).value(cluster).propagateAtLaunch(true)));
        groups.put(name, cluster);
        List<String> ids = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0)
                .instances().stream().map(i -> i.instanceId()).toList();
        List<FleetInstance> instances = new ArrayList<>();
        for (var reservation : ec2.describeInstances(r -> r.instanceIds(ids)).reservations()) {
            for (Instance instance : reservation.instances()) {
                instances.add(register(cluster, spec, instance, false, name));
            }
        }
        return instances;
    }

    /** {@code total} split over {@code parts} as evenly as possible; the first parts get the remainder. */
    static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private List<Instance> launch(String cluster, String zone, boolean spot, int count) {
        if (count == 0) {
            return List.of();
        }
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(AccountSeeder.AMI)
                .instanceType(InstanceType.M5_LARGE)
                .minCount(count)
                .maxCount(count)
                .placement(p -> p.availabilityZone(region + zone))
                .userData(Base64.getEncoder().encodeToString(("ECS_CLUSTER=" + cluster + "\n").getBytes(StandardCharsets.UTF_8)))
                // as an operator tags a managed cluster's instances (Deckhand's IAM is scoped by it)
                .tagSpecifications(t -> t.resourceType("instance").tags(tag -> tag.key(AccountSeeder.CLUSTER_TAG).value(cluster)));
        if (spot) {
            request.instanceMarketOptions(m -> m.marketType(MarketType.SPOT));
        }
        return ec2.runInstances(request.build()).instances();
    }

    private FleetInstance register(String cluster, ClusterSpec spec, Instance instance, boolean spot, String group) {
        String document = "{\"instanceId\":\"" + instance.instanceId() + "\",\"availabilityZone\":\""
                + instance.placement().availabilityZone() + "\",\"region\":\"" + region + "\"}";
        String arn = ecs.registerContainerInstance(r -> r.cluster(cluster).instanceIdentityDocument(document).totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(spec.cpu()).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(spec.memory()).build()))
                .containerInstance().containerInstanceArn();
        String zone = instance.placement().availabilityZone().substring(region.length());
        return new FleetInstance(instance.instanceId(), cluster, zone, spot, arn, spec, group);
    }

    /** Instances ordered a1, b1, c1, a2, b2, ...: round-robin over this order spreads by zone, then by instance. */
    private static List<FleetInstance> interleaved(List<FleetInstance> instances, ClusterSpec spec) {
        List<List<FleetInstance>> byZone = new ArrayList<>();
        for (String zone : spec.zones()) {
            byZone.add(instances.stream().filter(i -> i.zone().equals(zone)).toList());
        }
        List<FleetInstance> order = new ArrayList<>();
        for (int row = 0; order.size() < instances.size(); row++) {
            for (List<FleetInstance> zone : byZone) {
                if (row < zone.size()) {
                    order.add(zone.get(row));
                }
            }
        }
        return order;
    }

    private final Map<String, int[]> used = new HashMap<>();

    private void service(String cluster, ServiceSpec service, List<FleetInstance> order) {
        String taskDefinition = taskDefinitions.computeIfAbsent(service.name() + "/" + service.cpu() + "/" + service.memory() + "/"
                + service.stopTimeoutSeconds(), key -> seeder.taskDefinition(service.name(), service.cpu(), service.memory(),
                service.stopTimeoutSeconds()));
        // Behind a load balancer: a target group of its own, with the scenario's deregistration delay.
        String targetGroup = service.deregistrationDelaySeconds() == null ? null
                : emulator.targetGroup(region, cluster + "-" + service.name(), service.deregistrationDelaySeconds());
        ecs.createService(r -> {
            r.cluster(cluster).serviceName(service.name()).taskDefinition(taskDefinition)
                    .desiredCount(service.desired()).launchType(LaunchType.EC2)
                    .deploymentConfiguration(c -> c.minimumHealthyPercent(service.minimumHealthyPercent())
                            .maximumPercent(service.maximumPercent()));
            if (targetGroup != null) {
                r.loadBalancers(lb -> lb.targetGroupArn(targetGroup).containerName(service.name()).containerPort(80));
            }
        });
        String startedBy = seeder.deploymentId(cluster, service.name());
        List<String> batch = new ArrayList<>();
        int placed = 0;
        int cursor = 0;
        int misses = 0;
        while (placed < service.desired() && misses < order.size()) {
            FleetInstance instance = order.get(cursor++ % order.size());
            if (batch.contains(instance.containerInstanceArn())) {
                // StartTask starts one task per instance listed: a second task here needs a new call.
                start(cluster, service, taskDefinition, startedBy, batch);
            }
            int[] use = used.computeIfAbsent(instance.ec2InstanceId(), id -> new int[2]);
            if (use[0] + service.cpu() > instance.spec().cpu() || use[1] + service.memory() > instance.spec().memory()) {
                misses++;
                continue;
            }
            misses = 0;
            use[0] += service.cpu();
            use[1] += service.memory();
            batch.add(instance.containerInstanceArn());
            placed++;
            if (batch.size() == 10) {
                start(cluster, service, taskDefinition, startedBy, batch);
            }
        }
        start(cluster, service, taskDefinition, startedBy, batch);
        if (placed < service.desired()) {
            throw new IllegalArgumentException("cluster " + cluster + " has no room for " + service.desired() + " tasks of "
                    + service.name() + " (placed " + placed + "): add instances or make its tasks smaller");
        }
        emulator.control("ecs/deployment", Map.of("region", region, "cluster", cluster, "service", service.name(),
                "deploymentId", startedBy, "rolloutState", "COMPLETED"));
    }

    private void start(String cluster, ServiceSpec service, String taskDefinition, String startedBy, List<String> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<String> on = List.copyOf(batch);
        ecs.startTask(r -> r.cluster(cluster).taskDefinition(taskDefinition).containerInstances(on)
                .group("service:" + service.name()).startedBy(startedBy));
        batch.clear();
    }
}
