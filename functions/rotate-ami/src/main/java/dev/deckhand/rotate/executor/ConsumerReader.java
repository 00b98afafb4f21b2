package dev.deckhand.rotate.executor;

import dev.deckhand.core.aws.DeckhandTags;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.rotate.planner.Consumer;
import dev.deckhand.rotate.planner.Owner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfig;
import software.amazon.awssdk.services.ec2.model.FleetStateCode;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateConfig;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;

/**
 * Reads every consumer of launch templates once per run, with the instances each one owns:
 * DescribeAutoScalingGroups (which lists its instances), DescribeFleets and DescribeSpotFleetRequests
 * (paged), and DescribeFleetInstances / DescribeSpotFleetInstances for each active fleet of type maintain.
 * Only groups and fleets the operator tagged {@code deckhand:cluster} with a managed cluster's name
 * are consumers: the role may repin and terminate through those alone (template.yaml), so the others
 * are left as they are, and so are their instances (they have no owner that Deckhand may use).
 *
 * <pre>{@code
 * ConsumerReader.Consumers all = new ConsumerReader(ec2, autoscaling, ManagedClusters.all()).read();
 * Owner owner = all.owners().get("i-0abc...");
 * }</pre>
 */
final class ConsumerReader {

    static final String CLUSTER_TAG = DeckhandTags.CLUSTER;
    private static final Logger log = LoggerFactory.getLogger(ConsumerReader.class);

    /** Everything read: consumers with their raw configs (for updates) and who owns each instance. */
    record Consumers(List<Consumer> consumers, Map<String, Owner> owners, Map<String, AutoScalingGroup> groups,
                     Map<String, FleetData> fleets, Map<String, SpotFleetRequestConfig> spotFleets) {

        /** The consumers of {@code owner}. */
        List<Consumer> of(Owner owner) {
            return consumers.stream().filter(c -> c.owner().equals(owner)).toList();
        }
    }

    private final Ec2Client ec2;
    private final AutoScalingClient autoscaling;
    private final ManagedClusters clusters;

    ConsumerReader(Ec2Client ec2, AutoScalingClient autoscaling, ManagedClusters clusters) {
        this.ec2 = ec2;
        this.autoscaling = autoscaling;
        this.clusters = clusters;
    }

    /** True when the operator tagged it with a managed cluster's name; otherwise says why it is left alone. */
    private boolean managed(Owner owner, String clusterTag) {
        if (clusterTag != null && !clusterTag.isEmpty() && clusters.contains(clusterTag)) {
            return true;
        }
        log.atInfo().addKeyValue("owner", owner.id())
                .log("{} {} is not tagged {} with a managed cluster's name: rotate-ami leaves it and its instances alone",
                        owner.kind(), owner.id(), CLUSTER_TAG);
        return false;
    }

    Consumers read() {
        List<Consumer> consumers = new ArrayList<>();
        Map<String, Owner> owners = new LinkedHashMap<>();
        Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
        Map<String, FleetData> fleets = new LinkedHashMap<>();
        Map<String, SpotFleetRequestConfig> spotFleets = new LinkedHashMap<>();

        for (AutoScalingGroup group : autoscaling.describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)).autoScalingGroups()) {
            Owner owner = new Owner(Owner.Kind.AUTO_SCALING_GROUP, group.autoScalingGroupName());
            if (!managed(owner, group.tags().stream().filter(t -> CLUSTER_TAG.equals(t.key())).map(t -> t.value()).findFirst().orElse(null))) {
                continue;
            }
            groups.put(owner.id(), group);
            LaunchTemplateSpecification spec = group.launchTemplate();
            if (spec == null && group.mixedInstancesPolicy() != null && group.mixedInstancesPolicy().launchTemplate() != null) {
                spec = group.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification();
            }
            if (spec != null) {
                consumers.add(new Consumer(owner, spec.launchTemplateId() != null ? spec.launchTemplateId() : spec.launchTemplateName(),
                        spec.version() == null ? "$Default" : spec.version(), true));
            }
            group.instances().forEach(i -> owners.put(i.instanceId(), owner));
        }

        for (FleetData fleet : ec2.describeFleetsPaginator(r -> r.maxResults(100)).fleets()) {
            boolean maintained = fleet.type() == FleetType.MAINTAIN && fleet.fleetState() == FleetStateCode.ACTIVE;
            if (!maintained) {
                continue;
            }
            Owner owner = new Owner(Owner.Kind.EC2_FLEET, fleet.fleetId());
            if (!managed(owner, fleet.tags().stream().filter(t -> CLUSTER_TAG.equals(t.key())).map(t -> t.value()).findFirst().orElse(null))) {
                continue;
            }
            fleets.put(owner.id(), fleet);
            for (FleetLaunchTemplateConfig config : fleet.launchTemplateConfigs()) {
                var spec = config.launchTemplateSpecification();
                consumers.add(new Consumer(owner, spec.launchTemplateId() != null ? spec.launchTemplateId() : spec.launchTemplateName(),
                        spec.version() == null ? "$Default" : spec.version(), true));
            }
            String token = null;
            do {
                String next = token;
                var page = ec2.describeFleetInstances(r -> r.fleetId(fleet.fleetId()).nextToken(next));
                page.activeInstances().forEach(i -> owners.put(i.instanceId(), owner));
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        }

        for (SpotFleetRequestConfig request : ec2.describeSpotFleetRequestsPaginator(r -> r.maxResults(1000)).spotFleetRequestConfigs()) {
            var config = request.spotFleetRequestConfig();
            boolean maintained = "maintain".equals(config.typeAsString()) && "active".equals(request.spotFleetRequestStateAsString());
            if (!maintained) {
                continue;
            }
            Owner owner = new Owner(Owner.Kind.SPOT_FLEET, request.spotFleetRequestId());
            if (!managed(owner, request.tags().stream().filter(t -> CLUSTER_TAG.equals(t.key())).map(t -> t.value()).findFirst().orElse(null))) {
                continue;
            }
            spotFleets.put(owner.id(), request);
            for (LaunchTemplateConfig templateConfig : config.launchTemplateConfigs()) {
                var spec = templateConfig.launchTemplateSpecification();
                consumers.add(new Consumer(owner, spec.launchTemplateId() != null ? spec.launchTemplateId() : spec.launchTemplateName(),
                        spec.version() == null ? "$Default" : spec.version(), true));
            }
            String token = null;
            do {
                String next = token;
                var page = ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(request.spotFleetRequestId()).nextToken(next));
                page.activeInstances().forEach(i -> owners.put(i.instanceId(), owner));
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        }
        return new Consumers(consumers, owners, groups, fleets, spotFleets);
    }
}
