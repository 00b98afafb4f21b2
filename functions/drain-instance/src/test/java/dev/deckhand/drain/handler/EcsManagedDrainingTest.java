package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.testkit.Envelopes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ManagedDraining;

/**
 * Coexistence with ECS's own draining. An Auto Scaling group capacity provider with managed instance
 * draining (on by default: Amazon ECS Developer Guide, "Configuring Amazon ECS capacity providers to
 * safely shut down instances") drains an instance through ECS's own lifecycle hook when Auto Scaling
 * terminates it (scale-in, instance refresh, maximum instance lifetime: "Safely stop Amazon ECS
 * workloads running on EC2 instances"). drain-instance leaves those terminations to ECS: a terminate
 * hook of Deckhand's on the same group and a rebalance recommendation (whose drain waits on Capacity
 * Rebalancing's replacement, an Auto Scaling termination) neither drain nor tag. What ECS does not
 * drain for (a Spot interruption, a stop, an AWS Health change, Deckhand's own retirements) is drained
 * as before. The capacity provider is read once per cluster per invocation.
 */
@Tag("emulator")
class EcsManagedDrainingTest {

    private static final Instant EVENT_TIME = Instant.parse("2026-11-22T10:00:00Z");
    /** The token LifecycleHookTest.lifecycleEvent carries. */
    private static final String TOKEN = "87654321-4321-4321-4321-210987654321";

    private final MovableClock clock = new MovableClock(EVENT_TIME.plusSeconds(2));
    private TestAccount account;
    private List<String> instances;
    private EcsClient setupEcs;

    /** Cluster batch whose capacity provider batch-cp is group batch-asg (two instances), with managed draining as given. */
    private void seed(ManagedDraining draining) {
        account = new TestAccount();
        account.seed.cluster("batch");
        setupEcs = account.aws.client(EcsClient.builder(), TestAccount.REGION);
        AutoScalingClient autoscaling = account.aws.client(AutoScalingClient.builder(), TestAccount.REGION);
        GroupSeeder groups = new GroupSeeder(autoscaling, account.aws.client(Ec2Client.builder(), TestAccount.REGION), TestAccount.REGION);
        AutoScalingGroup group = groups.onDemand("batch-asg", 2, 4, Map.of(AccountSeeder.CLUSTER_TAG, "batch"));
        autoscaling.updateAutoScalingGroup(r -> r.autoScalingGroupName("batch-asg").capacityRebalance(true));
        setupEcs.createCapacityProvider(r -> r.name("batch-cp").autoScalingGroupProvider(p -> p
                .autoScalingGroupArn(group.autoScalingGroupARN()).managedDraining(draining)));
        setupEcs.putClusterCapacityProviders(r -> r.cluster("batch").capacityProviders("batch-cp")
                .defaultCapacityProviderStrategy(s -> s.capacityProvider("batch-cp").weight(1)));
        instances = new ArrayList<>();
        for (var instance : groups.describe("batch-asg").instances()) {
            String document = "{\"instanceId\":\"" + instance.instanceId() + "\",\"availabilityZone\":\"us-east-2a\",\"region\":\"us-east-2\"}";
            setupEcs.registerContainerInstance(r -> r.cluster("batch").instanceIdentityDocument(document));
            instances.add(instance.instanceId());
        }
    }

    private DrainInstanceHandler handler() {
        return account.handler(account.config(ManagedClusters.of("batch"), false), clock);
    }

    private String status(String instanceId) {
        String arn = setupEcs.listContainerInstances(r -> r.cluster("batch").filter("ec2InstanceId == " + instanceId))
                .containerInstanceArns().get(0);
        return setupEcs.describeContainerInstances(r -> r.cluster("batch").containerInstances(arn)).containerInstances().get(0).status();
    }

    @Test
    void rebalanceRecommendation_inAManagedDrainingGroup_isLeftToEcs_withoutADrainOrATag() throws IOException {
        seed(ManagedDraining.ENABLED);
        String target = instances.get(0);

        JsonNode result = TestAccount.invoke(handler(), SignalsTest.rebalance(target));

        assertEquals("LEFT_TO_ECS", result.path("decision").asText(), result.toString());
        assertTrue(result.path("reason").asText().contains("batch-cp"), "the result names the capacity provider: " + result);
        assertEquals("ACTIVE", status(target));
        assertFalse(account.calls.calls().contains("ecs:UpdateContainerInstancesState"), account.calls.calls().toString());
        assertFalse(account.calls.calls().contains("ecs:TagResource"), account.calls.calls().toString());
        assertFalse(account.calls.calls().contains("autoscaling:DescribeAutoScalingInstances"), "no replacement lookup for ECS's instance");
    }

    @Test
    void rebalanceRecommendation_withManagedDrainingOff_isDrainedAsBefore() throws IOException {
        seed(ManagedDraining.DISABLED);
        String target = instances.get(0);

        JsonNode result = TestAccount.invoke(handler(), SignalsTest.rebalance(target));

        assertEquals("DRAIN", result.path("decision").asText(), result.toString());
        assertEquals("DRAINING", status(target));
    }

    @Test
    void spotWarning_inAManagedDrainingGroup_isStillDrained_sinceEc2NotAutoScalingReclaimsIt() throws IOException {
        seed(ManagedDraining.ENABLED);
        String target = instances.get(0);

        JsonNode result = TestAccount.invoke(handler(), SignalsTest.spot(target));

        assertEquals("DRAIN", result.path("decision").asText(), result.toString());
        assertEquals("DRAINING", status(target));
    }

    @Test
    void deckhandTerminateHook_onAManagedDrainingGroup_doesNotDrain_andCompletesOnceEcsHasMovedTheTasks() throws IOException {
        seed(ManagedDraining.ENABLED);
        String target = instances.get(0);
        account.aws.client(AutoScalingClient.builder(), TestAccount.REGION).putLifecycleHook(r -> r
                .autoScalingGroupName("batch-asg").lifecycleHookName("deckhand-drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(300).defaultResult("CONTINUE"));
        String td = account.seed.taskDefinition("worker", 256, 256, null);
        account.seed.service("batch", "worker", td, 1);
        String arn = setupEcs.listContainerInstances(r -> r.cluster("batch").filter("ec2InstanceId == " + target)).containerInstanceArns().get(0);
        String task = setupEcs.startTask(r -> r.cluster("batch").taskDefinition(td).containerInstances(arn).startedBy("ecs-svc/1"))
                .tasks().get(0).taskArn();
        account.waitOnHook("batch-asg", "deckhand-drain", target, TOKEN, "autoscaling:EC2_INSTANCE_TERMINATING");
        DrainInstanceHandler handler = handler();

        JsonNode first = TestAccount.invoke(handler, LifecycleHookTest.lifecycleEvent("EC2 Instance-terminate Lifecycle Action",
                "autoscaling:EC2_INSTANCE_TERMINATING", "deckhand-drain", target).replace(
                "12345678-1234-1234-1234-123456789014", "12345678-1234-1234-1234-123456789015"));

        assertEquals("WAITING", first.path("decision").asText(), first.toString());
        assertEquals("LEFT_TO_ECS", first.path("drain").path("decision").asText(), first.toString());
        assertEquals("ACTIVE", status(target), "ECS's own hook drains it, not Deckhand");
        // ECS drains through its own hook: the instance goes DRAINING and the task leaves.
        setupEcs.updateContainerInstancesState(r -> r.cluster("batch").containerInstances(arn).status("DRAINING"));
        setupEcs.stopTask(r -> r.cluster("batch").task(task).reason("drained by ECS managed draining"));
        new RecheckPoller(account, clock).drainQueue(handler, 20);

        assertEquals("CONTINUE", account.lifecycleActions().get(0).path("state").asText());
        assertEquals(0, account.calls.calls().stream().filter("ecs:UpdateContainerInstancesState"::equals).count());
    }

    @Test
    void healthChange_forTwoInstancesOfOneCluster_readsTheCapacityProviderOnce_andDrainsBoth() throws IOException {
        seed(ManagedDraining.ENABLED);
        String start = "Sun, 22 Nov 2026 10:30:00 GMT";   // inside the default 1h lead: drained at once
        String detail = """
                {"eventArn":"arn:aws:health:us-east-2::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/x","service":"EC2",
                 "eventTypeCode":"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED","eventTypeCategory":"scheduledChange",
                 "startTime":"%s","statusCode":"open","eventRegion":"us-east-2",
                 "affectedEntities":[{"entityValue":"%s"},{"entityValue":"%s"}]}""".formatted(start, instances.get(0), instances.get(1));

        TestAccount.invoke(handler(), Envelopes.event(EventTypes.SOURCE_HEALTH, EventTypes.HEALTH_EVENT).freshId().time(EVENT_TIME)
                .detail(detail).json());

        assertEquals("DRAINING", status(instances.get(0)));
        assertEquals("DRAINING", status(instances.get(1)));
        assertEquals(1, account.calls.calls().stream().filter("ecs:DescribeCapacityProviders"::equals).count(), account.calls.calls().toString());
    }
}
