package dev.deckhand.capacity.handler;

import static dev.deckhand.capacity.handler.HoldAccount.config;
import static dev.deckhand.capacity.handler.HoldAccount.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.capacity.executor.HoldTags;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.FleetSeeder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Issue 16 point 14: a lever that counts capacity in units holds what the lost instance counted, not
 * one, and hands back exactly what it raised: a mixed group with weighted overrides or
 * DesiredCapacityType vcpu / memory-mib, an EC2 Fleet or Spot Fleet with weighted overrides, a fleet
 * whose TargetCapacityUnitType is vcpu / memory-mib.
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups-instance-weighting.html,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-mixed-instances-group-attribute-based-instance-type-selection.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-instance-weighting.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-attribute-based-instance-type-selection.html)
 */
@Tag("emulator")
class UnitsLeverTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final ManagedClusters WEB = ManagedClusters.of("web");

    HoldAccount account;
    Ec2Client ec2;
    FleetSeeder fleets;

    @BeforeEach
    void account() {
        account = new HoldAccount();
        account.seed.cluster("web");
        ec2 = account.aws.client(Ec2Client.builder(), HoldAccount.REGION);
        fleets = new FleetSeeder(account.aws, HoldAccount.REGION);
    }

    private JsonNode at(Instant now, String event) throws IOException {
        account.calls.reset();
        return invoke(account.handler(config(WEB, false), now), event);
    }

    private List<String> ids(AutoScalingGroup group) {
        return new ArrayList<>(group.instances().stream().map(Instance::instanceId).toList());
    }

    /** The group's Spot member, registered in cluster web as its container instance. */
    private String spotMember(AutoScalingGroup group) {
        String id = ec2.describeInstances(r -> r.instanceIds(ids(group))).reservations().stream().flatMap(rv -> rv.instances().stream())
                .filter(i -> "spot".equals(i.instanceLifecycleAsString())).findFirst().orElseThrow().instanceId();
        String az = group.instances().stream().filter(i -> i.instanceId().equals(id)).findFirst().orElseThrow().availabilityZone();
        String document = "{\"instanceId\":\"" + id + "\",\"availabilityZone\":\"" + az + "\",\"region\":\"" + HoldAccount.REGION + "\"}";
        account.aws.client(EcsClient.builder(), HoldAccount.REGION).registerContainerInstance(r -> r.cluster("web")
                .instanceIdentityDocument(document));
        return id;
    }

    private int weightOf(AutoScalingGroup group, String instanceId) {
        return Integer.parseInt(group.instances().stream().filter(i -> i.instanceId().equals(instanceId)).findFirst().orElseThrow()
                .weightedCapacity());
    }

    @Test
    void weightedGroup_spotWarning_holdsTheLostInstancesWeight() throws IOException {
        AutoScalingGroup before = account.groups.weighted("web-weighted", 8, 40, 4, Map.of("m5.xlarge", 4), Map.of(HoldTags.LEVER, "web"));
        String lost = spotMember(before);

        JsonNode result = warnOfLosing(lost);

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        AutoScalingGroup after = account.group("web-weighted");
        assertEquals(12, after.desiredCapacity(), "4 units held for the m5.xlarge lost");
        assertEquals(8, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
        assertEquals("4", account.tags("web-weighted").get(HoldTags.ADDED));
        assertEquals(true, ids(after).containsAll(ids(before)), "nothing replaced");
    }

    @Test
    void weightedGroup_handBack_handsBackTheRetiredInstancesWeight() throws IOException {
        AutoScalingGroup before = account.groups.weighted("web-weighted", 8, 40, 4, Map.of("m5.xlarge", 4), Map.of(HoldTags.LEVER, "web"));
        String lost = spotMember(before);
        warnOfLosing(lost);
        scheduleAt(10, 40);
        String victim = account.tags("web-weighted").get(HoldTags.RETIRING);
        List<String> held = ids(account.group("web-weighted"));

        JsonNode lower = at(T.plus(Duration.ofMinutes(50)), HoldAccount.schedule(T.plus(Duration.ofMinutes(50))));

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        AutoScalingGroup after = account.group("web-weighted");
        assertEquals(8, after.desiredCapacity());
        assertEquals(4, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
        assertEquals("0", account.tags("web-weighted").get(HoldTags.ADDED));
        held.remove(victim);
        assertEquals(held, ids(after), "only the retired instance left");
    }

    @Test
    void vcpuGroup_spotWarning_holdsTheLostInstancesVcpus() throws IOException {
        AutoScalingGroup before = account.groups.byAttributes("web-vcpu", "vcpu", 8, 64, 0, Map.of(HoldTags.LEVER, "web"));
        String lost = spotMember(before);
        int vcpus = weightOf(before, lost);

        JsonNode result = warnOfLosing(lost);

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        AutoScalingGroup after = account.group("web-vcpu");
        assertEquals(8 + vcpus, after.desiredCapacity());
        assertEquals(vcpus, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
        assertEquals(Integer.toString(vcpus), account.tags("web-vcpu").get(HoldTags.ADDED));
    }

    @Test
    void weightedGroup_lostInstanceOfATypeItDoesNotList_countsItsVcpusInProportion() throws IOException {
        account.groups.weighted("web-weighted", 8, 40, 4, Map.of("m5.xlarge", 4), Map.of(HoldTags.LEVER, "web"));
        // An m5.large (2 vCPUs) of another Spot source; the group's m5.xlarge (4 vCPUs) weighs 4.
        String lost = account.seed.instance("web", "a", true).ec2InstanceId();

        JsonNode result = warnOfLosing(lost);

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        assertEquals("2", account.tags("web-weighted").get(HoldTags.ADDED));
        assertEquals(10, account.group("web-weighted").desiredCapacity());
    }

    /** Issue 16 point 14 for an EC2 Fleet lever whose override counts WeightedCapacity units. */
    @Test
    void weightedEc2Fleet_holdsItsLostMembersWeight_andHandsItBack() throws IOException {
        weightedFleet_holdsItsLostMembersWeight_andHandsItBack(fleets.weightedEc2Fleet(template(), "1", 4, 4, "m5.xlarge", 4));
    }

    /** Issue 16 point 14 for a Spot Fleet lever whose override counts WeightedCapacity units. */
    @Test
    void weightedSpotFleet_holdsItsLostMembersWeight_andHandsItBack() throws IOException {
        weightedFleet_holdsItsLostMembersWeight_andHandsItBack(fleets.weightedSpotFleet(template(), "1", 4, 4, "m5.xlarge", 4));
    }

    private void weightedFleet_holdsItsLostMembersWeight_andHandsItBack(String id) throws IOException {
        lever(id);
        String lost = spotMember(id);
        register(lost);

        JsonNode raised = warnOfLosing(lost);

        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(List.of(8, 12), targets(id), "4 units held for the m5.xlarge");
        assertEquals("4", leverTag(id, HoldTags.ADDED));

        JsonNode lower = handBackOnceSpotIsStable();

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        assertEquals(List.of(4, 8), targets(id));
        assertEquals(8.0, fulfilled(id), "the retired m5.xlarge is not replaced");
        assertEquals("0", leverTag(id, HoldTags.ADDED));
    }

    /** Issue 16 point 14: an EC2 Fleet lever whose TargetCapacityUnitType is vcpu holds the lost member's vCPUs. */
    @Test
    void vcpuEc2Fleet_holdsItsLostMembersVcpus() throws IOException {
        String id = fleets.ec2FleetByAttributes(template(), "1", 4, 4, "vcpu", 4, 16384);
        lever(id);
        String lost = spotMember(id);
        register(lost);

        JsonNode raised = warnOfLosing(lost);

        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(List.of(8, 12), targets(id), "4 vCPUs held for the member lost");
        assertEquals("4", leverTag(id, HoldTags.ADDED));
    }

    /** Issue 16 point 14: a Spot Fleet lever whose TargetCapacityUnitType is memory-mib holds the lost member's MiB, and hands it back. */
    @Test
    void mibSpotFleet_holdsItsLostMembersMemory_andHandsItBack() throws IOException {
        String id = fleets.spotFleetByAttributes(template(), "1", 16384, 16384, "memory-mib", 4, 16384);
        ec2.createTags(r -> r.resources(id).tags(t -> t.key(HoldTags.LEVER).value("web"), t -> t.key(HoldTags.MAX).value("65536")));
        String lost = spotMember(id);
        register(lost);

        JsonNode raised = warnOfLosing(lost);

        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(List.of(32768, 49152), targets(id), "16384 MiB held for the member lost");
        assertEquals("16384", leverTag(id, HoldTags.ADDED));

        JsonNode lower = handBackOnceSpotIsStable();

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        assertEquals(List.of(16384, 32768), targets(id));
        assertEquals(32768.0, fulfilled(id), "the retired instance is not replaced");
        assertEquals("0", leverTag(id, HoldTags.ADDED));
    }

    /**
     * Issue 16 point 14: the On-Demand instance a weighted fleet launched for a raise overshoots it
     * (a weight-4 m5.xlarge for the one unit held); the hand-back hands back exactly the unit raised
     * and removes that instance, leaving the targets as they were before the hold.
     */
    @Test
    void weightedEc2Fleet_overshootingInstance_handsBackExactlyWhatWasRaised() throws IOException {
        String id = fleets.weightedEc2Fleet(template(), "1", 4, 4, "m5.xlarge", 4);
        lever(id);
        String spotMember = spotMember(id);
        // An m5.large of another Spot source: a type the fleet does not weigh, one unit.
        String lost = account.seed.instance("web", "a", true).ec2InstanceId();

        JsonNode raised = warnOfLosing(lost);
        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(List.of(5, 9), targets(id));
        assertEquals(8.0, ec2Fleet(id).fulfilledOnDemandCapacity(), "a whole m5.xlarge for the one unit: the fleet overshoots");
        List<String> raisedMembers = ec2FleetMembers(id);

        JsonNode lower = handBackOnceSpotIsStable();

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        assertEquals(List.of(4, 8), targets(id), "the targets as before the hold");
        assertEquals("0", leverTag(id, HoldTags.ADDED));
        assertEquals(8.0, fulfilled(id));
        // Either On-Demand m5.xlarge may be the one retired (launched in the same second); nothing is launched after it.
        List<String> members = ec2FleetMembers(id);
        assertEquals(2, members.size(), "one instance removed, nothing replaced: " + members);
        assertEquals(true, raisedMembers.containsAll(members), "nothing launched after the raise: " + members);
        assertEquals(true, members.contains(spotMember), "the Spot member kept");
    }

    /**
     * Issue 16 point 14: the same overshoot on a weighted mixed group (two units held, a weight-4
     * m5.xlarge launched); the hand-back leaves the desired capacity and the base as they were.
     */
    @Test
    void weightedGroup_overshootingInstance_handsBackExactlyWhatWasRaised() throws IOException {
        AutoScalingGroup before = account.groups.weighted("web-weighted", 8, 40, 4, Map.of("m5.xlarge", 4), Map.of(HoldTags.LEVER, "web"));
        // An m5.large (2 vCPUs) of another Spot source counts 2 where the m5.xlarge (4 vCPUs) weighs 4.
        String lost = account.seed.instance("web", "a", true).ec2InstanceId();

        JsonNode raised = warnOfLosing(lost);
        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(10, account.group("web-weighted").desiredCapacity());
        assertEquals(3, account.group("web-weighted").instances().size(), "a whole m5.xlarge for the two units: the group overshoots");
        List<String> raisedIds = ids(account.group("web-weighted"));
        String spot = spotMember(before);

        JsonNode lower = handBackOnceSpotIsStable();

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        AutoScalingGroup after = account.group("web-weighted");
        assertEquals(List.of(8, 4), List.of(after.desiredCapacity(), after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity()),
                "the desired capacity and the base as before the hold");
        assertEquals("0", account.tags("web-weighted").get(HoldTags.ADDED));
        // Either On-Demand m5.xlarge may be the one retired (launched in the same second); nothing is launched after it.
        assertEquals(2, ids(after).size(), "one instance removed, nothing replaced: " + ids(after));
        assertEquals(true, raisedIds.containsAll(ids(after)), "nothing launched after the raise: " + ids(after));
        assertEquals(true, ids(after).contains(spot), "the Spot member kept");
    }

    /** A launch template for the cluster's fleets. */
    private String template() {
        return fleets.template("web", fleets.image("ecs"), "web", null);
    }

    /** The fleet {@code id} made cluster web's On-Demand lever. */
    private void lever(String id) {
        ec2.createTags(r -> r.resources(id).tags(t -> t.key(HoldTags.LEVER).value("web")));
    }

    private List<String> ec2FleetMembers(String id) {
        return ec2.describeFleetInstances(r -> r.fleetId(id)).activeInstances().stream().map(i -> i.instanceId()).toList();
    }

    /** The lever's first Spot member: a Spot Fleet request's (sfr-...) or an EC2 Fleet's. */
    private String spotMember(String id) {
        return id.startsWith("sfr-") ? spotMemberOfSpotFleet(id) : spotMemberOfEc2Fleet(id);
    }

    /** The lever's On-Demand and total target capacity. */
    private List<Integer> targets(String id) {
        if (id.startsWith("sfr-")) {
            var config = spotFleet(id).spotFleetRequestConfig();
            return List.of(config.onDemandTargetCapacity(), config.targetCapacity());
        }
        var spec = ec2Fleet(id).targetCapacitySpecification();
        return List.of(spec.onDemandTargetCapacity(), spec.totalTargetCapacity());
    }

    private double fulfilled(String id) {
        return id.startsWith("sfr-") ? spotFleet(id).spotFleetRequestConfig().fulfilledCapacity() : ec2Fleet(id).fulfilledCapacity();
    }

    private String leverTag(String id, String key) {
        return id.startsWith("sfr-") ? spotFleetTag(id, key) : fleetTag(id, key);
    }

    /** The EC2 Fleet's first Spot member. */
    private String spotMemberOfEc2Fleet(String id) {
        return ec2.describeFleetInstances(r -> r.fleetId(id)).activeInstances().stream()
                .filter(i -> i.spotInstanceRequestId() != null && i.spotInstanceRequestId().startsWith("sir-")).findFirst().orElseThrow()
                .instanceId();
    }

    /** The Spot Fleet's first member. */
    private String spotMemberOfSpotFleet(String id) {
        return ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(id)).activeInstances().stream()
                .filter(i -> i.spotInstanceRequestId() != null).findFirst().orElseThrow().instanceId();
    }

    /** The Spot warning for {@code instanceId}, 20 s after it was sent; hold-capacity's answer. */
    private JsonNode warnOfLosing(String instanceId) throws IOException {
        return at(T.plusSeconds(20), HoldAccount.spotWarning("e1", instanceId, T));
    }

    private FleetData ec2Fleet(String fleetId) {
        return ec2.describeFleets(r -> r.fleetIds(fleetId)).fleets().get(0);
    }

    /** The schedule runs at each of {@code minutes} after the loss. */
    private void scheduleAt(int... minutes) throws IOException {
        for (int minute : minutes) {
            at(T.plus(Duration.ofMinutes(minute)), HoldAccount.schedule(T.plus(Duration.ofMinutes(minute))));
        }
    }

    /** Spot stable from the 10th minute: the schedule at 10 and 40 minutes retires, the one at 50 hands back; its result. */
    private JsonNode handBackOnceSpotIsStable() throws IOException {
        scheduleAt(10, 40);
        return at(T.plus(Duration.ofMinutes(50)), HoldAccount.schedule(T.plus(Duration.ofMinutes(50))));
    }

    private void register(String instanceId) {
        String az = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).placement()
                .availabilityZone();
        account.aws.client(EcsClient.builder(), HoldAccount.REGION).registerContainerInstance(r -> r.cluster("web").instanceIdentityDocument(
                "{\"instanceId\":\"" + instanceId + "\",\"availabilityZone\":\"" + az + "\",\"region\":\"" + HoldAccount.REGION + "\"}"));
    }

    private SpotFleetRequestConfig spotFleet(String requestId) {
        return ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(requestId)).spotFleetRequestConfigs().get(0);
    }

    private String spotFleetTag(String requestId, String key) {
        return spotFleet(requestId).tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
    }

    private String fleetTag(String fleetId, String key) {
        return ec2Fleet(fleetId).tags().stream().filter(t -> key.equals(t.key()))
                .map(t -> t.value()).findFirst().orElse(null);
    }
}
