package dev.deckhand.capacity.handler;

import static dev.deckhand.capacity.handler.HoldAccount.config;
import static dev.deckhand.capacity.handler.HoldAccount.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.capacity.executor.HoldTags;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * hold-capacity on a mixed instances group: the group replaces instances itself when its
 * OnDemandBaseCapacity changes ("An update to this setting means a gradual replacement of
 * instances", InstancesDistribution), so Deckhand raises the base with the desired capacity and
 * hands back by terminating its drained On-Demand instance before lowering the base: nothing else
 * in the group is replaced.
 */
@Tag("emulator")
class MixedLeverTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final ManagedClusters WEB = ManagedClusters.of("web");

    HoldAccount account;
    SeededInstance spot;
    Ec2Client ec2;

    @BeforeEach
    void account() {
        account = new HoldAccount();
        account.seed.cluster("web");
        spot = account.seed.instance("web", "a", true);
        account.groups.onDemand("web-spot", 3, 10, Map.of(HoldTags.SPOT, "web"));
        ec2 = account.aws.client(Ec2Client.builder(), HoldAccount.REGION);
    }

    private JsonNode at(Instant now, String event) throws IOException {
        account.calls.reset();
        return invoke(account.handler(config(WEB, false), now), event);
    }

    private List<String> ids(AutoScalingGroup group) {
        return new ArrayList<>(group.instances().stream().map(Instance::instanceId).toList());
    }

    private Map<String, String> purchaseOptions(AutoScalingGroup group) {
        Map<String, String> options = new LinkedHashMap<>();
        ec2.describeInstances(r -> r.instanceIds(ids(group))).reservations().forEach(rv -> rv.instances().forEach(i ->
                options.put(i.instanceId(), "spot".equals(i.instanceLifecycleAsString()) ? "spot" : "on-demand")));
        return options;
    }

    @Test
    void spotWarning_raisesTheBaseWithTheDesiredCapacity_andReplacesNoInstance() throws IOException {
        AutoScalingGroup before = account.groups.mixed("web-mixed", 4, 12, 1, 0, Map.of(HoldTags.LEVER, "web"));

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        AutoScalingGroup after = account.group("web-mixed");
        assertEquals(2, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
        assertEquals(0, after.mixedInstancesPolicy().instancesDistribution().onDemandPercentageAboveBaseCapacity());
        assertEquals(5, after.desiredCapacity(), "the held On-Demand instance is one more");
        assertTrue(ids(after).containsAll(ids(before)), "no instance of the group replaced: " + ids(before) + " -> " + ids(after));
        Map<String, String> options = purchaseOptions(after);
        assertEquals(2, options.values().stream().filter("on-demand"::equals).count(), options.toString());
        assertEquals("OnDemandBaseCapacity", result.at("/levers/0/setting").asText());
    }

    @Test
    void handBack_terminatesTheDrainedOnDemandInstance_thenLowersTheBase_andReplacesNothingElse() throws IOException {
        account.groups.mixed("web-mixed", 4, 12, 1, 0, Map.of(HoldTags.LEVER, "web"));
        at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));
        for (int minutes : new int[] {10, 40}) {
            at(T.plus(Duration.ofMinutes(minutes)), HoldAccount.schedule(T.plus(Duration.ofMinutes(minutes))));
        }
        String victim = account.tags("web-mixed").get(HoldTags.RETIRING);
        AutoScalingGroup held = account.group("web-mixed");
        assertEquals("on-demand", purchaseOptions(held).get(victim));

        JsonNode lower = at(T.plus(Duration.ofMinutes(50)), HoldAccount.schedule(T.plus(Duration.ofMinutes(50))));

        assertEquals("HANDED_BACK", lower.get("decision").asText(), lower.toString());
        AutoScalingGroup after = account.group("web-mixed");
        assertEquals(1, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
        assertEquals(4, after.desiredCapacity());
        List<String> expected = ids(held);
        expected.remove(victim);
        assertEquals(expected, ids(after), "only the drained instance left; nothing launched, nothing else terminated");
        assertEquals("0", account.tags("web-mixed").get(HoldTags.ADDED));
    }

    @Test
    void aBaseAboveTheDesiredCapacity_isRaisedNoHigherThanTheNewDesiredCapacity() throws IOException {
        account.groups.mixed("web-mixed", 2, 12, 3, 0, Map.of(HoldTags.LEVER, "web"));

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("RAISED", result.get("decision").asText(), result.toString());
        AutoScalingGroup after = account.group("web-mixed");
        assertEquals(3, after.desiredCapacity());
        assertEquals(3, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity(), "capped at the desired capacity");
    }

    @Test
    void raise_stopsAtTheGroupsMaximum() throws IOException {
        account.groups.mixed("web-mixed", 4, 4, 1, 0, Map.of(HoldTags.LEVER, "web"));

        JsonNode result = at(T.plusSeconds(20), HoldAccount.spotWarning("e1", spot.ec2InstanceId(), T));

        assertEquals("HOLDING", result.get("decision").asText(), result.toString());
        AutoScalingGroup after = account.group("web-mixed");
        assertEquals(4, after.desiredCapacity());
        assertEquals(1, after.mixedInstancesPolicy().instancesDistribution().onDemandBaseCapacity());
    }
}
