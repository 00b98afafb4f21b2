package dev.deckhand.capacity.executor;

import dev.deckhand.capacity.planner.Lever;
import dev.deckhand.capacity.planner.LeverKind;
import dev.deckhand.capacity.planner.SpotSide;
import dev.deckhand.core.event.IsoInstant;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads the capacity hold-capacity works with: every Auto Scaling group tagged
 * {@link HoldTags#LEVER} or {@link HoldTags#SPOT} in one paged call, every EC2 Fleet and Spot Fleet
 * request in one paged call each (a fleet tagged {@link HoldTags#LEVER} is a lever, its members read
 * with DescribeFleetInstances / DescribeSpotFleetInstances), and the fleets tagged
 * {@link HoldTags#SPOT} from those when asked.
 *
 * <pre>{@code
 * CapacityReader.Snapshot snapshot = reader.read();
 * Optional<CapacityReader.Held> held = snapshot.held("demo-batch");
 * }</pre>
 */
public final class CapacityReader {

    private static final Logger log = LoggerFactory.getLogger(CapacityReader.class);
    /** TargetCapacityUnitType's default: instances, weighted. */
    static final String UNITS = "units";
    /** Instance ids per DescribeInstances filter: a group's worth in few requests, each of a modest size. */
    private static final int FILTER_VALUES = 200;
    /** A loss key as {@link HoldTags#SEEN} records it (HoldPlanner#lossKey). */
    private static final Pattern LOSS_KEY = Pattern.compile("[0-9a-f]{8}");

    /**
     * A cluster's lever as AWS describes it, and as the planner sees it: an Auto Scaling group
     * ({@code group}), or an EC2 Fleet or Spot Fleet request ({@code fleet}, with its running members).
     */
    public record Held(String cluster, AutoScalingGroup group, Lever lever, String pending, FleetLever fleet, Instant shortSince) {

        public Held(String cluster, AutoScalingGroup group, Lever lever, String pending) {
            this(cluster, group, lever, pending, null, null);
        }

        public Held(String cluster, AutoScalingGroup group, Lever lever, String pending, FleetLever fleet) {
            this(cluster, group, lever, pending, fleet, null);
        }

        /** The instances of the lever that may be retired (in service, not protected from scale-in). */
        public List<String> candidates() {
            if (fleet != null) {
                return fleet.onDemand();
            }
            return group.instances().stream()
                    .filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE && !Boolean.TRUE.equals(i.protectedFromScaleIn()))
                    .map(i -> i.instanceId()).toList();
        }

        /**
         * What a member counts toward the lever's capacity: a group member's WeightedCapacity (its
         * type's weight, or its vCPUs or MiB when the group counts those), else one.
         */
        public int unitsOf(String instanceId) {
            if (fleet != null) {
                return fleet.unitsOf(instanceId);
            }
            if (group == null) {
                return 1;
            }
            return group.instances().stream().filter(i -> i.instanceId().equals(instanceId)).findFirst()
                    .map(i -> units(i.weightedCapacity())).orElse(1);
        }

        /** True when {@code instanceId} is no longer a running member of the lever. */
        public boolean gone(String instanceId) {
            if (fleet != null) {
                return !fleet.onDemand().contains(instanceId) && !fleet.spot().contains(instanceId);
            }
            return group.instances().stream().noneMatch(i -> i.instanceId().equals(instanceId)
                    && (i.lifecycleState() == LifecycleState.IN_SERVICE || i.lifecycleState() == LifecycleState.STANDBY));
        }
    }

    /**
     * An EC2 Fleet or Spot Fleet request used as a lever: its Spot target (kept as it is when the
     * On-Demand target moves) and its active members, On-Demand and Spot (DescribeFleetInstances /
     * DescribeSpotFleetInstances: a Spot member has a Spot request). {@code unitType} is its
     * TargetCapacityUnitType ({@code units}, {@code vcpu} or {@code memory-mib}); {@code weights}
     * what one instance of a type counts in it (its WeightedCapacity, or its vCPUs or MiB).
     */
    public record FleetLever(String id, int spotTarget, List<String> onDemand, List<String> spot, Map<String, Integer> weights,
                             Map<String, Integer> memberUnits, String unitType) {

        public FleetLever {
            onDemand = List.copyOf(onDemand);
            spot = List.copyOf(spot);
            weights = Map.copyOf(weights);
            memberUnits = Map.copyOf(memberUnits);
            unitType = unitType == null ? UNITS : unitType;
        }

        public FleetLever(String id, int spotTarget, List<String> onDemand, List<String> spot) {
            this(id, spotTarget, onDemand, spot, Map.of(), Map.of(), UNITS);
        }

        /** True when the fleet counts its members' vCPUs or memory in MiB (attribute-based instance type selection). */
        public boolean countsAttributes() {
            return !unitType.equals(UNITS);
        }

        /** What a member counts: its type's WeightedCapacity in the fleet's overrides, or its vCPUs or MiB (one when none). */
        public int unitsOf(String instanceId) {
            return memberUnits.getOrDefault(instanceId, 1);
        }

        /** The fleet as its own Spot side: its Spot target against its Spot members' units. */
        public SpotSide spotSide() {
            return new SpotSide(spotTarget, spot.stream().mapToInt(this::unitsOf).sum(), 0);
        }
    }

    /** A fleet tagged as a cluster's Spot source. */
    public record SpotFleet(String id, String cluster, SpotSide spot) {
    }

    /** The tagged groups of the account and region, by cluster. */
    public record Snapshot(Map<String, Held> levers, Map<String, List<AutoScalingGroup>> spotGroups,
                           Map<String, String> clusterOfGroup, List<FleetData> ec2Fleets, List<SpotFleetRequestConfig> spotFleets) {

        public Optional<Held> held(String cluster) {
            return Optional.ofNullable(levers.get(cluster));
        }

        /** The cluster a group serves (as its lever or as a Spot source), or null. */
        public String clusterOf(String groupName) {
            return clusterOfGroup.get(groupName);
        }

        /** The Spot side of the cluster's groups: its separate Spot groups, or a mixed lever itself. */
        public List<SpotSide> groupSpot(String cluster) {
            List<SpotSide> sides = new ArrayList<>();
            Held held = levers.get(cluster);
            if (held != null && held.lever().kind() == LeverKind.MIXED_GROUP) {
                sides.add(spotOf(held.group()));
            }
            if (held != null && held.fleet() != null) {
                sides.add(held.fleet().spotSide());
            }
            for (AutoScalingGroup group : spotGroups.getOrDefault(cluster, List.of())) {
                sides.add(spotOf(group));
            }
            return sides;
        }

        public Optional<AutoScalingGroup> group(String name) {
            Held held = levers.values().stream().filter(h -> h.group() != null && h.group().autoScalingGroupName().equals(name))
                    .findFirst().orElse(null);
            if (held != null) {
                return Optional.of(held.group());
            }
            return spotGroups.values().stream().flatMap(List::stream).filter(g -> g.autoScalingGroupName().equals(name)).findFirst();
        }
    }

    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final int defaultCap;
    private final CapacityUnits units;

    public CapacityReader(AutoScalingClient autoscaling, Ec2Client ec2, int defaultCap) {
        this.autoscaling = autoscaling;
        this.ec2 = ec2;
        this.defaultCap = defaultCap;
        this.units = new CapacityUnits(ec2);
    }

    /** What lost instance {@code instanceId} counts in {@code held}'s unit ({@link CapacityUnits}). */
    public int unitsOfLost(Held held, String instanceId) {
        return units.ofLost(held, instanceId);
    }

    public Snapshot read() {
        Map<String, List<AutoScalingGroup>> leverGroups = new LinkedHashMap<>();
        Map<String, List<AutoScalingGroup>> spotGroups = new LinkedHashMap<>();
        Map<String, String> clusterOfGroup = new HashMap<>();
        autoscaling.describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)
                        .filters(Filter.builder().name("tag-key").values(HoldTags.LEVER, HoldTags.SPOT).build()))
                .autoScalingGroups().forEach(group -> {
                    String lever = tag(group, HoldTags.LEVER);
                    String spot = tag(group, HoldTags.SPOT);
                    if (lever != null) {
                        leverGroups.computeIfAbsent(lever, c -> new ArrayList<>()).add(group);
                        clusterOfGroup.put(group.autoScalingGroupName(), lever);
                    } else if (spot != null) {
                        spotGroups.computeIfAbsent(spot, c -> new ArrayList<>()).add(group);
                        clusterOfGroup.put(group.autoScalingGroupName(), spot);
                    }
                });
        // DescribeFleets and DescribeSpotFleetRequests filter by no tag: one paged call each, the
        // levers picked here (and the lists kept for fleets()).
        List<FleetData> ec2Fleets = new ArrayList<>();
        ec2.describeFleetsPaginator(r -> r.maxResults(1000)).fleets().forEach(ec2Fleets::add);
        List<SpotFleetRequestConfig> spotFleets = new ArrayList<>();
        ec2.describeSpotFleetRequestsPaginator(r -> r.maxResults(1000)).spotFleetRequestConfigs().forEach(spotFleets::add);
        Map<String, List<FleetCandidate>> leverFleets = new LinkedHashMap<>();
        ec2Fleets.forEach(data -> candidate(leverFleets, data.fleetId(), data.tags(), data.fleetStateAsString(), data.type(),
                data.typeAsString(), ec2FleetLever(data)));
        spotFleets.stream().filter(config -> config.spotFleetRequestConfig() != null).forEach(config -> {
            var data = config.spotFleetRequestConfig();
            // RequestSpotFleet's Type defaults to maintain.
            candidate(leverFleets, config.spotFleetRequestId(), config.tags(), config.spotFleetRequestStateAsString(),
                    data.type() == null ? FleetType.MAINTAIN : data.type(), data.type() == null ? "maintain" : data.typeAsString(),
                    spotFleetLever(config));
        });
        Map<String, Held> levers = new LinkedHashMap<>();
        leverFleets.forEach((cluster, fleets) -> {
            if (leverGroups.containsKey(cluster)) {
                return;
            }
            if (fleets.size() > 1) {
                tooMany(cluster, fleets.stream().map(FleetCandidate::id).toList());
                return;
            }
            FleetCandidate fleet = fleets.get(0);
            if (fleet.type() != FleetType.MAINTAIN) {
                log.atWarn().addKeyValue("cluster", cluster).addKeyValue("fleet", fleet.id())
                        .log("fleet {} is tagged " + HoldTags.LEVER + " but is of type {}: only a fleet of type maintain can be modified",
                                fleet.id(), fleet.typeName());
                return;
            }
            levers.put(cluster, fleet.held().read(cluster));
            clusterOfGroup.put(fleet.id(), cluster);
        });
        leverGroups.forEach((cluster, groups) -> {
            if (groups.size() > 1 || leverFleets.containsKey(cluster)) {
                List<String> names = new ArrayList<>(groups.stream().map(AutoScalingGroup::autoScalingGroupName).toList());
                leverFleets.getOrDefault(cluster, List.of()).forEach(f -> names.add(f.id()));
                tooMany(cluster, names);
                return;
            }
            AutoScalingGroup group = groups.get(0);
            levers.put(cluster, new Held(cluster, group, lever(cluster, group), tag(group, HoldTags.PENDING), null,
                    time(group, HoldTags.SHORT_SINCE)));
        });
        return new Snapshot(levers, spotGroups, clusterOfGroup, List.copyOf(ec2Fleets), List.copyOf(spotFleets));
    }

    private static void tooMany(String cluster, List<String> names) {
        log.atWarn().addKeyValue("cluster", cluster).addKeyValue("groups", names)
                .log("cluster {} has more than one group or fleet tagged " + HoldTags.LEVER + "; Deckhand holds capacity through none of them",
                        cluster);
    }

    /** A fleet tagged {@link HoldTags#LEVER}, read as a lever only once it is known to be the cluster's one lever. */
    private record FleetCandidate(String id, FleetType type, String typeName, FleetHeld held) {
    }

    private interface FleetHeld {
        Held read(String cluster);
    }

    private static void candidate(Map<String, List<FleetCandidate>> leverFleets, String id, List<Tag> tags, String state, FleetType type,
                                  String typeName, FleetHeld held) {
        String lever = tag(tags, HoldTags.LEVER);
        if (lever != null && active(String.valueOf(state))) {
            leverFleets.computeIfAbsent(lever, c -> new ArrayList<>()).add(new FleetCandidate(id, type, typeName, held));
        }
    }

    /** An EC2 Fleet lever: its On-Demand target and Spot target, its members (DescribeFleetInstances). */
    private FleetHeld ec2FleetLever(FleetData data) {
        return cluster -> {
            var spec = data.targetCapacitySpecification();
            int onDemand = orZero(spec.onDemandTargetCapacity());
            int spotTarget = spec.spotTargetCapacity() != null ? spec.spotTargetCapacity()
                    : Math.max(0, orZero(spec.totalTargetCapacity()) - onDemand);
            return fleetLever(cluster, data.fleetId(), LeverKind.EC2_FLEET, onDemand, spotTarget, data.tags(), weights(data),
                    spec.targetCapacityUnitTypeAsString(), token -> {
                var page = ec2.describeFleetInstances(r -> r.fleetId(data.fleetId()).nextToken(token));
                return new MemberPage(page.activeInstances(), page.nextToken());
            });
        };
    }

    /** A Spot Fleet lever: its On-Demand target and the rest of its target as Spot, its members (DescribeSpotFleetInstances). */
    private FleetHeld spotFleetLever(SpotFleetRequestConfig config) {
        String id = config.spotFleetRequestId();
        return cluster -> {
            var data = config.spotFleetRequestConfig();
            int onDemand = orZero(data.onDemandTargetCapacity());
            int spotTarget = Math.max(0, orZero(data.targetCapacity()) - onDemand);
            return fleetLever(cluster, id, LeverKind.SPOT_FLEET, onDemand, spotTarget, config.tags(), weights(data),
                    data.targetCapacityUnitTypeAsString(), token -> {
                var page = ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(id).nextToken(token));
                return new MemberPage(page.activeInstances(), page.nextToken());
            });
        };
    }

    private record MemberPage(List<ActiveInstance> active, String next) {
    }

    private interface MemberPages {
        MemberPage page(String token);
    }

    /**
     * An EC2 Fleet's weights: each override's WeightedCapacity by instance type ("the number of
     * units provided by the specified instance type", FleetLaunchTemplateOverrides); empty when the
     * fleet counts instances.
     */
    private static Map<String, Integer> weights(FleetData data) {
        Map<String, Integer> weights = new HashMap<>();
        data.launchTemplateConfigs().forEach(config -> config.overrides().forEach(o -> {
            if (o.instanceTypeAsString() != null && o.weightedCapacity() != null) {
                weights.putIfAbsent(o.instanceTypeAsString(), Math.max(1, (int) Math.ceil(o.weightedCapacity())));
            }
        }));
        return weights;
    }

    /**
     * A Spot Fleet request's weights: each launch specification's and each override's
     * WeightedCapacity by instance type (Spot Fleet instance weighting); empty when it counts instances.
     */
    private static Map<String, Integer> weights(SpotFleetRequestConfigData data) {
        Map<String, Integer> weights = new HashMap<>();
        data.launchSpecifications().forEach(spec -> weigh(weights, spec.instanceTypeAsString(), spec.weightedCapacity()));
        data.launchTemplateConfigs().forEach(config -> config.overrides().forEach(o -> weigh(weights, o.instanceTypeAsString(),
                o.weightedCapacity())));
        return weights;
    }

    private static void weigh(Map<String, Integer> weights, String instanceType, Double weight) {
        if (instanceType != null && weight != null) {
            weights.putIfAbsent(instanceType, Math.max(1, (int) Math.ceil(weight)));
        }
    }

    /** A fleet lever: its On-Demand target, what Deckhand recorded in its tags, its members, paged. */
    private Held fleetLever(String cluster, String id, LeverKind kind, int onDemand, int spotTarget, List<Tag> fleetTags,
                            Map<String, Integer> weighted, String unitType, MemberPages pages) {
        List<String> onDemandMembers = new ArrayList<>();
        List<String> spotMembers = new ArrayList<>();
        Map<String, String> memberTypes = new HashMap<>();
        String token = null;
        do {
            MemberPage page = pages.page(token);
            page.active().forEach(i -> {
                boolean spot = i.spotInstanceRequestId() != null && i.spotInstanceRequestId().startsWith("sir-");
                (spot ? spotMembers : onDemandMembers).add(i.instanceId());
                memberTypes.put(i.instanceId(), String.valueOf(i.instanceType()));
            });
            token = page.next();
        } while (token != null && !token.isEmpty());
        // In vCPUs or MiB (TargetCapacityUnitType): every member type's in one DescribeInstanceTypes.
        boolean attributes = unitType != null && !unitType.equals(UNITS);
        Map<String, Integer> weights = attributes ? units.ofTypes(unitType, memberTypes.values()) : weighted;
        Map<String, Integer> memberUnits = new HashMap<>();
        memberTypes.forEach((member, type) -> memberUnits.put(member, weights.getOrDefault(type, 1)));
        Map<String, String> tags = new HashMap<>();
        fleetTags.forEach(t -> tags.put(t.key(), t.value() == null || t.value().isBlank() ? null : t.value().trim()));
        int cap = number(id, tags, HoldTags.MAX, defaultCap);
        Lever lever = new Lever(cluster, id, kind, onDemand, 0, onDemand + cap, number(id, tags, HoldTags.ADDED, 0), cap,
                time(tags.get(HoldTags.RAISED_AT)), time(tags.get(HoldTags.LOWERED_AT)), time(tags.get(HoldTags.SPOT_OK_SINCE)),
                tags.get(HoldTags.RETIRING), time(tags.get(HoldTags.RETIRING_AT)), seen(tags.get(HoldTags.SEEN)));
        return new Held(cluster, null, lever, tags.get(HoldTags.PENDING), new FleetLever(id, spotTarget, onDemandMembers, spotMembers, weights,
                memberUnits, unitType), time(tags.get(HoldTags.SHORT_SINCE)));
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> key.equals(t.key())).map(t -> t.value()).filter(v -> v != null && !v.isBlank())
                .map(String::trim).findFirst().orElse(null);
    }

    /**
     * Every Spot Fleet and EC2 Fleet tagged {@link HoldTags#SPOT}, as {@code snapshot} read them. A
     * fleet that is a lever is its own Spot side (Snapshot.groupSpot): not counted twice.
     */
    public List<SpotFleet> fleets(Snapshot snapshot) {
        List<SpotFleet> fleets = new ArrayList<>();
        snapshot.spotFleets().stream().filter(config -> tag(config.tags(), HoldTags.LEVER) == null).map(CapacityReader::spotFleet)
                .filter(f -> f != null).forEach(fleets::add);
        snapshot.ec2Fleets().stream().filter(data -> tag(data.tags(), HoldTags.LEVER) == null).map(CapacityReader::ec2Fleet)
                .filter(f -> f != null).forEach(fleets::add);
        return fleets;
    }

    /** One fleet by id ({@code sfr-...} or {@code fleet-...}), when it is tagged as a Spot source or a lever. */
    public Optional<SpotFleet> fleet(String id) {
        try {
            if (id.startsWith("sfr-")) {
                return ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs().stream()
                        .map(CapacityReader::spotFleet).filter(f -> f != null).findFirst();
            }
            return ec2.describeFleets(r -> r.fleetIds(id)).fleets().stream().map(CapacityReader::ec2Fleet).filter(f -> f != null).findFirst();
        } catch (Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (code.endsWith(".NotFound") || code.endsWith(".Malformed")) {
                log.atInfo().addKeyValue("fleetId", id).log("fleet {} does not exist here ({})", id, code);
                return Optional.empty();
            }
            throw e;
        }
    }

    private static SpotFleet spotFleet(SpotFleetRequestConfig config) {
        String cluster = clusterOf(config.tags());
        if (cluster == null || config.spotFleetRequestConfig() == null || !active(String.valueOf(config.spotFleetRequestStateAsString()))) {
            return null;
        }
        var data = config.spotFleetRequestConfig();
        int target = orZero(data.targetCapacity()) - orZero(data.onDemandTargetCapacity());
        int fulfilled = (int) Math.floor(orZero(data.fulfilledCapacity()) - orZero(data.onDemandFulfilledCapacity()));
        return new SpotFleet(config.spotFleetRequestId(), cluster, new SpotSide(Math.max(0, target), Math.max(0, fulfilled), 0));
    }

    private static SpotFleet ec2Fleet(FleetData data) {
        String cluster = clusterOf(data.tags());
        if (cluster == null || data.targetCapacitySpecification() == null || !active(String.valueOf(data.fleetStateAsString()))) {
            return null;
        }
        var spec = data.targetCapacitySpecification();
        int target = spec.spotTargetCapacity() != null ? spec.spotTargetCapacity()
                : orZero(spec.totalTargetCapacity()) - orZero(spec.onDemandTargetCapacity());
        int fulfilled = (int) Math.floor(orZero(data.fulfilledCapacity()) - orZero(data.fulfilledOnDemandCapacity()));
        return new SpotFleet(data.fleetId(), cluster, new SpotSide(Math.max(0, target), Math.max(0, fulfilled), 0));
    }

    /** The cluster a fleet serves: as a Spot source, or as a lever (its own Spot part). */
    private static String clusterOf(List<Tag> tags) {
        return tag(tags, HoldTags.SPOT) != null ? tag(tags, HoldTags.SPOT) : tag(tags, HoldTags.LEVER);
    }

    private static boolean active(String state) {
        return state.equals("active") || state.equals("modifying") || state.equals("submitted");
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    /**
     * A group's Spot side: for a Spot group all of it; for a mixed group, the group as a whole. In
     * the group's units: each instance counts its WeightedCapacity against the desired capacity.
     */
    static SpotSide spotOf(AutoScalingGroup group) {
        int inService = 0;
        int launching = 0;
        for (var instance : group.instances()) {
            LifecycleState state = instance.lifecycleState();
            if (state == LifecycleState.IN_SERVICE && !"Unhealthy".equalsIgnoreCase(instance.healthStatus())) {
                inService += units(instance.weightedCapacity());
            } else if (state == LifecycleState.PENDING || state == LifecycleState.PENDING_WAIT || state == LifecycleState.PENDING_PROCEED) {
                launching += units(instance.weightedCapacity());
            }
        }
        return new SpotSide(orZero(group.desiredCapacity()), inService, launching);
    }

    /** What a group member counts toward its group's desired capacity: its WeightedCapacity, one when not described. */
    static int units(String weightedCapacity) {
        try {
            return weightedCapacity == null ? 1 : Math.max(1, Integer.parseInt(weightedCapacity));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private Lever lever(String cluster, AutoScalingGroup group) {
        boolean mixed = group.mixedInstancesPolicy() != null && group.mixedInstancesPolicy().instancesDistribution() != null;
        int desired = orZero(group.desiredCapacity());
        // A mixed group's base is raised with its desired capacity (so the new instance is
        // On-Demand and nothing is replaced) and is never above it: a base above the desired
        // capacity counts as the desired capacity. Both stay within MinSize and MaxSize.
        int value = mixed ? Math.min(orZero(group.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity()), desired)
                : desired;
        int lowest = mixed ? Math.max(0, value - (desired - orZero(group.minSize()))) : orZero(group.minSize());
        int highest = mixed ? value + Math.max(0, orZero(group.maxSize()) - desired) : orZero(group.maxSize());
        String name = group.autoScalingGroupName();
        return new Lever(cluster, name, mixed ? LeverKind.MIXED_GROUP : LeverKind.ON_DEMAND_GROUP, value, lowest, highest,
                number(group, HoldTags.ADDED, 0), number(group, HoldTags.MAX, defaultCap), time(group, HoldTags.RAISED_AT),
                time(group, HoldTags.LOWERED_AT), time(group, HoldTags.SPOT_OK_SINCE), tag(group, HoldTags.RETIRING),
                time(group, HoldTags.RETIRING_AT), seen(tag(group, HoldTags.SEEN)));
    }

    static String tag(AutoScalingGroup group, String key) {
        for (TagDescription tag : group.tags()) {
            if (key.equals(tag.key())) {
                return tag.value() == null || tag.value().isBlank() ? null : tag.value().trim();
            }
        }
        return null;
    }

    private static int number(AutoScalingGroup group, String key, int otherwise) {
        return number(group.autoScalingGroupName(), tag(group, key), key, otherwise);
    }

    private static int number(String resource, Map<String, String> tags, String key, int otherwise) {
        return number(resource, tags.get(key), key, otherwise);
    }

    private static int number(String resource, String value, String key, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            log.atWarn().addKeyValue("group", resource).addKeyValue("tag", key)
                    .log("tag {} of {} is not a whole number; read as {}", key, resource, otherwise);
            return otherwise;
        }
    }

    private static Instant time(AutoScalingGroup group, String key) {
        return time(tag(group, key));
    }

    private static Instant time(String value) {
        try {
            return value == null ? null : IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> seen(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(" ")).filter(k -> LOSS_KEY.matcher(k).matches()).toList();
    }

    /**
     * The newest On-Demand instance in service and not protected from scale-in, or null. Described
     * through the {@code instance-id} filter: by InstanceIds one instance gone since the group was
     * read fails the whole call (InvalidInstanceID.NotFound); the filter leaves it out.
     */
    public String newestOnDemand(List<String> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        List<Instance> described = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += FILTER_VALUES) {
            List<String> ids = candidates.subList(from, Math.min(candidates.size(), from + FILTER_VALUES));
            ec2.describeInstancesPaginator(r -> r.filters(f -> f.name("instance-id").values(ids)))
                    .reservations().forEach(rv -> described.addAll(rv.instances()));
        }
        return described.stream()
                .filter(i -> i.instanceLifecycle() == null || !"spot".equals(i.instanceLifecycleAsString()))
                .filter(i -> i.state() == null || "running".equals(i.state().nameAsString()))
                .max(Comparator.comparing(Instance::launchTime, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Instance::instanceId))
                .map(Instance::instanceId).orElse(null);
    }
}
