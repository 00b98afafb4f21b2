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
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.FleetSeeder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetType;

/**
 * hold-capacity's EC2 Fleet lever against the emulator: a maintained fleet with a Spot part and an
 * On-Demand part, tagged {@code deckhand:hold-capacity}; its On-Demand target is raised (the total
 * with it), recorded in the fleet's tags, and handed back one drained instance at a time.
 */
class FleetLeverTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final ManagedClusters WEB = ManagedClusters.of("web");

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

    private String fleetLever(Map<String, String> extraTags) {
        String id = fleets.mixedEc2Fleet(template, "1", 2, 1);
        Map<String, String> tags = new HashMap<>(extraTags);
        tags.put(HoldTags.LEVER, "web");
        ec2().createTags(r -> r.resources(id).tags(tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
        return id;
    }

    private software.amazon.awssdk.services.ec2.Ec2Client ec2() {
        return account.aws.client(software.amazon.awssdk.services.ec2.Ec2Client.builder(), HoldAccount.REGION);
    }

    private JsonNode at(Instant now, String event) throws IOException {
        account.calls.reset();
        return invoke(account.handler(config(WEB, false), now), event);
    }

    private FleetData fleet(String id) {
        return ec2().describeFleets(r -> r.fleetIds(id)).fleets().get(0);
    }

    private Map<String, String> tags(String id) {
        Map<String, String> tags = new HashMap<>();
        fleet(id).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    @Test
    void spotWarning_raisesTheOnDemandTargetAndTheTotal_recordedOnTheFleet() throws IOException {
        String id = fleetLever(Map.of());

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("RAISED", result.get("outcome").asText(), result.toString());
        assertEquals("EC2_FLEET", result.at("/levers/0/kind").asText());
        assertEquals("OnDemandTargetCapacity", result.at("/levers/0/setting").asText());
        var spec = fleet(id).targetCapacitySpecification();
        assertEquals(2, spec.onDemandTargetCapacity());
        assertEquals(4, spec.totalTargetCapacity(), "the Spot target stays 2");
        assertEquals(4, fleets.ec2FleetInstances(id).size(), "a second On-Demand instance launched");
        Map<String, String> tags = tags(id);
        assertEquals("1", tags.get(HoldTags.ADDED));
        assertEquals(T.toString(), tags.get(HoldTags.RAISED_AT));
        assertFalse(tags.containsKey(HoldTags.PENDING));
        assertEquals(List.of("ecs:ListContainerInstances", "ecs:DescribeContainerInstances", "autoscaling:DescribeAutoScalingGroups",
                "ec2:DescribeFleets", "ec2:DescribeFleetInstances", "ec2:CreateTags", "ec2:ModifyFleet", "ec2:DeleteTags"),
                account.calls.calls());
    }

    @Test
    void sameLoss_threeTimes_raisesOnce() throws IOException {
        String id = fleetLever(Map.of());
        for (int i = 0; i < 3; i++) {
            at(T.plusSeconds(20 + i), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        }
        assertEquals(2, fleet(id).targetCapacitySpecification().onDemandTargetCapacity());
        assertEquals("1", tags(id).get(HoldTags.ADDED));
    }

    @Test
    void theCapOnTheFleet_limitsTheRaise() throws IOException {
        String id = fleetLever(Map.of(HoldTags.MAX, "1"));
        at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        JsonNode capped = at(T.plusSeconds(30), HoldAccount.spotWarning("e2", otherSpot.ec2InstanceId(), T.plusSeconds(25)));

        assertEquals("HOLDING", capped.get("outcome").asText(), capped.toString());
        assertTrue(capped.at("/levers/0/reason").asText().contains("cap"), capped.toString());
        assertEquals(2, fleet(id).targetCapacitySpecification().onDemandTargetCapacity());
    }

    @Test
    void dryRun_changesNothingOnTheFleet() throws IOException {
        String id = fleetLever(Map.of());
        account.calls.reset();

        JsonNode result = invoke(account.handler(config(WEB, true), T.plusSeconds(20)), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("DRY_RUN_RAISED", result.get("outcome").asText());
        assertEquals(2, result.at("/levers/0/after").asInt());
        assertEquals(1, fleet(id).targetCapacitySpecification().onDemandTargetCapacity());
        assertFalse(tags(id).containsKey(HoldTags.ADDED));
        assertTrue(account.calls.calls().stream().allMatch(c -> c.contains(":Describe") || c.contains(":List")), account.calls.calls().toString());
    }

    @Test
    void handBack_drainsTheNewestOnDemandInstance_thenLowersTheTarget_andTerminatesIt() throws IOException {
        String id = fleetLever(Map.of());
        List<String> before = fleets.ec2FleetInstances(id);
        at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        List<String> added = fleets.ec2FleetInstances(id).stream().filter(i -> !before.contains(i)).toList();

        at(T.plus(Duration.ofMinutes(10)), HoldAccount.schedule(T.plus(Duration.ofMinutes(10))));
        JsonNode retire = at(T.plus(Duration.ofMinutes(40)), HoldAccount.schedule(T.plus(Duration.ofMinutes(40))));
        List<String> retireCalls = account.calls.calls();
        JsonNode lower = at(T.plus(Duration.ofMinutes(50)), HoldAccount.schedule(T.plus(Duration.ofMinutes(50))));
        List<String> lowerCalls = account.calls.calls();

        assertEquals(List.of("autoscaling:DescribeAutoScalingGroups", "ec2:DescribeFleets", "ec2:DescribeFleetInstances",
                "ec2:DescribeSpotFleetRequests", "ec2:DescribeInstances", "eventbridge:PutEvents", "ec2:CreateTags"), retireCalls);
        assertEquals(List.of("autoscaling:DescribeAutoScalingGroups", "ec2:DescribeFleets", "ec2:DescribeFleetInstances",
                "ec2:DescribeSpotFleetRequests", "ecs:ListContainerInstances", "ec2:CreateTags", "ec2:ModifyFleet", "ec2:TerminateInstances",
                "ec2:DeleteTags"), lowerCalls);
        assertEquals("RETIRING", retire.get("outcome").asText(), retire.toString());
        String victim = retire.at("/levers/0/retiring").asText();
        assertEquals(added, List.of(victim), "the On-Demand instance Deckhand added, the newest");
        assertTrue(retireCalls.contains("eventbridge:PutEvents"), retireCalls.toString());
        assertEquals("HANDED_BACK", lower.get("outcome").asText(), lower.toString());
        var spec = fleet(id).targetCapacitySpecification();
        assertEquals(1, spec.onDemandTargetCapacity());
        assertEquals(3, spec.totalTargetCapacity());
        List<String> members = fleets.ec2FleetInstances(id);
        assertFalse(members.contains(victim), victim + " was terminated");
        assertEquals(3, members.size(), "the maintained fleet at its lowered target did not replace it");
        Map<String, String> tags = tags(id);
        assertEquals("0", tags.get(HoldTags.ADDED));
        assertNull(tags.get(HoldTags.RETIRING));
        assertNull(tags.get(HoldTags.PENDING));
        assertTrue(lowerCalls.containsAll(List.of("ec2:ModifyFleet", "ec2:TerminateInstances")), lowerCalls.toString());
        assertTrue(lowerCalls.indexOf("ec2:ModifyFleet") < lowerCalls.indexOf("ec2:TerminateInstances"), "lowered, then terminated");

        at(T.plus(Duration.ofHours(5)), HoldAccount.schedule(T.plus(Duration.ofHours(5))));
        assertEquals(1, fleet(id).targetCapacitySpecification().onDemandTargetCapacity(), "never below what the user configured");
    }

    @Test
    void aChangeRecordedButNotMade_isCompletedByTheNextRun() throws IOException {
        String id = fleetLever(Map.of(HoldTags.ADDED, "1", HoldTags.RAISED_AT, T.toString(), HoldTags.PENDING, "2"));

        at(T.plus(Duration.ofMinutes(5)), HoldAccount.schedule(T.plus(Duration.ofMinutes(5))));
        at(T.plus(Duration.ofMinutes(6)), HoldAccount.schedule(T.plus(Duration.ofMinutes(6))));

        assertEquals(2, fleet(id).targetCapacitySpecification().onDemandTargetCapacity());
        assertEquals(4, fleet(id).targetCapacitySpecification().totalTargetCapacity(), "completed once");
        assertFalse(tags(id).containsKey(HoldTags.PENDING));
    }

    @Test
    void malformedFleetTags_areReadAsDefaults_andAFleetNotOfTypeMaintainIsNoLever() throws IOException {
        String id = fleetLever(Map.of(HoldTags.MAX, "lots", HoldTags.ADDED, "<script>", HoldTags.RAISED_AT, "yesterday"));
        JsonNode raised = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        assertEquals("RAISED", raised.get("outcome").asText(), raised.toString());
        assertEquals(1, raised.at("/levers/0/added").asInt(), "an unreadable record is read as nothing added");
        assertEquals(2, fleet(id).targetCapacitySpecification().onDemandTargetCapacity());

        account = new HoldAccount();
        account.seed.cluster("web");
        spot = account.seed.instance("web", "a", true);
        fleets = new FleetSeeder(account.aws, HoldAccount.REGION);
        template = fleets.template("web", fleets.image("ecs"), "web", null);
        String request = ec2().createFleet(r -> r.type(FleetType.REQUEST).targetCapacitySpecification(c -> c.totalTargetCapacity(2)
                .onDemandTargetCapacity(1).defaultTargetCapacityType("spot"))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))
                .tagSpecifications(t -> t.resourceType("fleet").tags(tg -> tg.key(HoldTags.LEVER).value("web")))).fleetId();
        JsonNode notHeld = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        assertEquals("NOT_HELD", notHeld.get("outcome").asText(), notHeld.toString());
        assertEquals(1, fleet(request).targetCapacitySpecification().onDemandTargetCapacity());
    }
}
