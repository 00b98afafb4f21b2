package dev.deckhand.capacity.handler;

import static dev.deckhand.capacity.handler.HoldAccount.config;
import static dev.deckhand.capacity.handler.HoldAccount.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.capacity.executor.HoldTags;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.FleetSeeder;
import dev.deckhand.testkit.Envelopes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * hold-capacity's fleet levers against the emulator, each test once for an EC2 Fleet and once for a
 * Spot Fleet request: a maintained fleet with a Spot part and an On-Demand part, tagged
 * {@code deckhand:hold-capacity}; its On-Demand target is raised (the total with it), recorded in the
 * fleet's tags, and handed back one drained instance at a time.
 */
@org.junit.jupiter.api.Tag("emulator")
class FleetLeverTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final ManagedClusters WEB = ManagedClusters.of("web");

    /** The two kinds of fleet lever: the call that lists its members and the one that changes its targets. */
    enum Kind {
        EC2_FLEET("ec2:DescribeFleetInstances", "ec2:ModifyFleet"),
        SPOT_FLEET("ec2:DescribeSpotFleetInstances", "ec2:ModifySpotFleetRequest");

        final String members;
        final String modify;

        Kind(String members, String modify) {
            this.members = members;
            this.modify = modify;
        }
    }

    HoldAccount account;
    FleetSeeder fleets;
    SeededInstance spot;
    SeededInstance otherSpot;
    String template;

    @BeforeEach
    void account() {
        account = new HoldAccount();
        account.seed.cluster("web");
        spot = account.seed.instance("web", "a", true);
        otherSpot = account.seed.instance("web", "b", true);
        fleets = new FleetSeeder(account.aws, HoldAccount.REGION);
        String image = fleets.image("ecs");
        template = fleets.template("web", image, "web", null);
    }

    /** A maintained fleet of 2 Spot and 1 On-Demand, tagged as web's lever (and with {@code extraTags}). */
    private String fleetLever(Kind kind, Map<String, String> extraTags) {
        String id = kind == Kind.EC2_FLEET ? fleets.mixedEc2Fleet(template, "1", 2, 1) : fleets.mixedSpotFleet(template, "1", 2, 1);
        Map<String, String> tags = new HashMap<>(extraTags);
        tags.put(HoldTags.LEVER, "web");
        ec2().createTags(r -> r.resources(id).tags(tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
        return id;
    }

    private software.amazon.awssdk.services.ec2.Ec2Client ec2() {
        return account.aws.client(software.amazon.awssdk.services.ec2.Ec2Client.builder(), HoldAccount.REGION);
    }

    private JsonNode at(Instant now, String event) throws IOException {
        account.calls.reset();
        return invoke(account.handler(config(WEB, false), now), event);
    }

    /** The fleet's On-Demand target and its total target, as described. */
    private List<Integer> targets(String id) {
        if (id.startsWith("sfr-")) {
            var config = ec2().describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs().get(0)
                    .spotFleetRequestConfig();
            return List.of(config.onDemandTargetCapacity(), config.targetCapacity());
        }
        var spec = ec2().describeFleets(r -> r.fleetIds(id)).fleets().get(0).targetCapacitySpecification();
        return List.of(spec.onDemandTargetCapacity(), spec.totalTargetCapacity());
    }

    private int onDemandTarget(String id) {
        return targets(id).get(0);
    }

    private List<String> members(String id) {
        return id.startsWith("sfr-") ? fleets.spotFleetInstances(id) : fleets.ec2FleetInstances(id);
    }

    private Map<String, String> tags(String id) {
        List<Tag> list = id.startsWith("sfr-")
                ? ec2().describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs().get(0).tags()
                : ec2().describeFleets(r -> r.fleetIds(id)).fleets().get(0).tags();
        Map<String, String> tags = new HashMap<>();
        list.forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /**
     * Waits for the wall clock's next second: LaunchTime counts whole seconds (AWS's and the
     * emulator's), so an instance launched in the same second as the fleet's own is not the newest.
     */
    private static void nextSecond() {
        try {
            Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An EC2 Spot Fleet Error or EC2 Fleet Error for {@code id}, shaped as events/spot-fleet-error.json. */
    private static String fleetError(Kind kind, String id, Instant time) {
        boolean spotFleet = kind == Kind.SPOT_FLEET;
        return Envelopes.event(spotFleet ? EventTypes.SOURCE_SPOT_FLEET : EventTypes.SOURCE_EC2_FLEET,
                        spotFleet ? EventTypes.SPOT_FLEET_ERROR : EventTypes.EC2_FLEET_ERROR)
                .id("7a1f3e2b-0c4d-4e5f-8a9b-1c2d3e4f5a6b").time(time).region(HoldAccount.REGION)
                .resources("arn:aws:ec2:" + HoldAccount.REGION + ":123456789012:" + (spotFleet ? "spot-fleet-request" : "fleet") + "/" + id)
                .detail("""
                        {"description":"m5.large, ami-0a1b2c3d4e5f60718, Linux/UNIX: several attempts to launch instances have failed",
                         "sub-type":"allLaunchSpecsTemporarilyBlacklisted"}""").json();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void spotWarning_raisesTheOnDemandTargetAndTheTotal_recordedOnTheFleet(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        assertEquals(kind.name(), result.at("/levers/0/kind").asText());
        assertEquals("OnDemandTargetCapacity", result.at("/levers/0/setting").asText());
        assertEquals(List.of(2, 4), targets(id), "On-Demand 2 of 4: the Spot target stays 2");
        assertEquals(4, members(id).size(), "a second On-Demand instance launched");
        Map<String, String> tags = tags(id);
        assertEquals("1", tags.get(HoldTags.ADDED));
        assertEquals(T.toString(), tags.get(HoldTags.RAISED_AT));
        assertFalse(tags.containsKey(HoldTags.PENDING));
        assertEquals(List.of("ecs:ListContainerInstances", "ecs:DescribeContainerInstances", "autoscaling:DescribeAutoScalingGroups",
                "ec2:DescribeFleets", "ec2:DescribeSpotFleetRequests", kind.members, "ec2:CreateTags", kind.modify, "ec2:DeleteTags"),
                account.calls.calls());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sameLoss_threeTimes_raisesOnce(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());
        for (int i = 0; i < 3; i++) {
            at(T.plusSeconds(20 + i), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        }
        assertEquals(List.of(2, 4), targets(id));
        assertEquals("1", tags(id).get(HoldTags.ADDED));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void fleetError_ofTheLeverItself_isReadAgainstItsOwnSpotPart(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());

        JsonNode result = at(T.plusSeconds(20), fleetError(kind, id, T));

        assertEquals("HOLDING", result.get("decision").asText(), result.toString());
        assertEquals(id, result.at("/levers/0/lever").asText(), "the fleet is found as web's lever");
        assertTrue(result.at("/levers/0/reason").asText().contains("misses 0"), result.toString());
        assertEquals(List.of(1, 3), targets(id), "its Spot part is whole: nothing to hold");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theCapOnTheFleet_limitsTheRaise(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of(HoldTags.MAX, "1"));
        at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        JsonNode capped = at(T.plusSeconds(30), HoldAccount.spotWarning("e2", otherSpot.ec2InstanceId(), T.plusSeconds(25)));

        assertEquals("HOLDING", capped.get("decision").asText(), capped.toString());
        assertTrue(capped.at("/levers/0/reason").asText().contains("cap"), capped.toString());
        assertEquals(2, onDemandTarget(id));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void dryRun_changesNothingOnTheFleet(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());
        account.calls.reset();

        JsonNode result = invoke(account.handler(config(WEB, true), T.plusSeconds(20)), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("DRY_RUN_RAISED", result.get("decision").asText());
        assertEquals(2, result.at("/levers/0/after").asInt());
        assertEquals(List.of(1, 3), targets(id));
        assertFalse(tags(id).containsKey(HoldTags.ADDED));
        assertTrue(account.calls.calls().stream().allMatch(c -> c.contains(":Describe") || c.contains(":List")), account.calls.calls().toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void handBack_drainsTheNewestOnDemandInstance_thenLowersTheTarget_andTerminatesIt(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());
        List<String> before = members(id);
        nextSecond();
        at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        List<String> added = members(id).stream().filter(i -> !before.contains(i)).toList();

        at(T.plus(Duration.ofMinutes(10)), HoldAccount.schedule(T.plus(Duration.ofMinutes(10))));
        JsonNode retire = at(T.plus(Duration.ofMinutes(40)), HoldAccount.schedule(T.plus(Duration.ofMinutes(40))));
        List<String> retireCalls = account.calls.calls();
        JsonNode lower = at(T.plus(Duration.ofMinutes(50)), HoldAccount.schedule(T.plus(Duration.ofMinutes(50))));
        List<String> lowerCalls = account.calls.calls();

        assertEquals(List.of("autoscaling:DescribeAutoScalingGroups", "ec2:DescribeFleets", "ec2:DescribeSpotFleetRequests", kind.members,
                "ec2:DescribeInstances", "eventbridge:PutEvents", "ec2:CreateTags"), retireCalls);
        assertEquals(List.of("autoscaling:DescribeAutoScalingGroups", "ec2:DescribeFleets", "ec2:DescribeSpotFleetRequests", kind.members,
                "ecs:ListContainerInstances", "ec2:CreateTags", kind.modify, "ec2:TerminateInstances", "ec2:DeleteTags"), lowerCalls);
        assertEquals("RETIRING", retire.get("decision").asText(), retire.toString());
        String victim = retire.at("/levers/0/retiring").asText();
        assertEquals(added, List.of(victim), "the On-Demand instance Deckhand added, the newest");
        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        assertEquals(List.of(1, 3), targets(id));
        List<String> members = members(id);
        assertFalse(members.contains(victim), victim + " was terminated");
        assertEquals(3, members.size(), "the maintained fleet at its lowered target did not replace it");
        Map<String, String> tags = tags(id);
        assertEquals("0", tags.get(HoldTags.ADDED));
        assertNull(tags.get(HoldTags.RETIRING));
        assertNull(tags.get(HoldTags.PENDING));

        at(T.plus(Duration.ofHours(5)), HoldAccount.schedule(T.plus(Duration.ofHours(5))));
        assertEquals(1, onDemandTarget(id), "never below what the user configured");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChangeRecordedButNotMade_isCompletedByTheNextRun(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of(HoldTags.ADDED, "1", HoldTags.RAISED_AT, T.toString(), HoldTags.PENDING, "2"));

        at(T.plus(Duration.ofMinutes(5)), HoldAccount.schedule(T.plus(Duration.ofMinutes(5))));
        at(T.plus(Duration.ofMinutes(6)), HoldAccount.schedule(T.plus(Duration.ofMinutes(6))));

        assertEquals(List.of(2, 4), targets(id), "completed once");
        assertFalse(tags(id).containsKey(HoldTags.PENDING));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void malformedFleetTags_areReadAsDefaults_andAFleetNotOfTypeMaintainIsNoLever(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of(HoldTags.MAX, "lots", HoldTags.ADDED, "<script>", HoldTags.RAISED_AT, "yesterday"));
        JsonNode raised = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        assertEquals("RAISED", raised.get("decision").asText(), raised.toString());
        assertEquals(1, raised.at("/levers/0/added").asInt(), "an unreadable record is read as nothing added");
        assertEquals(2, onDemandTarget(id));

        account = new HoldAccount();
        account.seed.cluster("web");
        spot = account.seed.instance("web", "a", true);
        fleets = new FleetSeeder(account.aws, HoldAccount.REGION);
        template = fleets.template("web", fleets.image("ecs"), "web", null);
        String request = kind == Kind.EC2_FLEET
                ? ec2().createFleet(r -> r.type(FleetType.REQUEST).targetCapacitySpecification(c -> c.totalTargetCapacity(2)
                        .onDemandTargetCapacity(1).defaultTargetCapacityType("spot"))
                        .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))
                        .tagSpecifications(t -> t.resourceType("fleet").tags(tg -> tg.key(HoldTags.LEVER).value("web")))).fleetId()
                : ec2().requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/fleet")
                        .targetCapacity(2).onDemandTargetCapacity(1).type("request")
                        .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))
                        .tagSpecifications(t -> t.resourceType("spot-fleet-request").tags(tg -> tg.key(HoldTags.LEVER).value("web")))))
                        .spotFleetRequestId();
        JsonNode notHeld = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        assertEquals("NOT_HELD", notHeld.get("decision").asText(), notHeld.toString());
        assertEquals(1, onDemandTarget(request));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aClusterWithAnEc2FleetAndASpotFleetAsLevers_isHeldThroughNeither(Kind kind) throws IOException {
        String id = fleetLever(kind, Map.of());
        fleetLever(kind == Kind.EC2_FLEET ? Kind.SPOT_FLEET : Kind.EC2_FLEET, Map.of());

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("NOT_HELD", result.get("decision").asText(), result.toString());
        assertEquals(1, onDemandTarget(id));
    }
}
