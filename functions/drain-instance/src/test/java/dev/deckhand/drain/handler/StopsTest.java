package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.MovableClock;
import dev.deckhand.testkit.Envelopes;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;

/**
 * Issue 16 point 5: an instance drained because it stops comes back with the same container instance
 * still DRAINING ("remains in a DRAINING state until it is activated again or deleted", ECS guide,
 * "Draining Amazon ECS container instances"); Deckhand re-activates what it drained for a stop when
 * the instance runs again, and nothing else.
 */
@Tag("emulator")
class StopsTest {

    private static final Instant EVENT_TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static final MovableClock CLOCK = new MovableClock(EVENT_TIME.plusSeconds(5));

    private TestAccount account;
    private SeededInstance target;
    private DrainInstanceHandler handler;
    private EcsClient ecs;
    private Ec2Client ec2;

    @BeforeEach
    void seed() {
        account = new TestAccount();
        account.seed.cluster("batch");
        target = account.seed.instance("batch", "a", true);
        account.seed.instance("batch", "b", false);
        handler = account.handler(account.config(ManagedClusters.of("batch"), false), CLOCK);
        ecs = account.aws.client(EcsClient.builder(), TestAccount.REGION);
        ec2 = account.aws.client(Ec2Client.builder(), TestAccount.REGION);
    }

    private static String state(String id, String state) {
        return SignalsTest.stateChange(id, state, EVENT_TIME);
    }

    private static String spot(String id, String action) {
        return Envelopes.event(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING).freshId().time(EVENT_TIME)
                .detail("{\"instance-id\":\"" + id + "\",\"instance-action\":\"" + action + "\"}").json();
    }

    private String status() {
        return account.status(target);
    }

    private Map<String, String> tags() {
        return account.tags(target);
    }

    private void stopAndStart() {
        ec2.stopInstances(r -> r.instanceIds(target.ec2InstanceId()));
        ec2.startInstances(r -> r.instanceIds(target.ec2InstanceId()));
    }

    @Test
    void stoppingThenRunning_reactivatesWhatDeckhandDrained() throws IOException {
        JsonNode drained = TestAccount.invoke(handler, state(target.ec2InstanceId(), "stopping"));
        assertEquals("DRAIN", drained.path("decision").asText());
        assertEquals("stop", tags().get("deckhand:drained-for"));
        stopAndStart();
        assertEquals("DRAINING", status(), "the emulator keeps it DRAINING across the stop, as ECS does");

        JsonNode running = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));

        assertEquals("REACTIVATE", running.path("decision").asText());
        assertEquals("INSTANCE_RUNNING", running.path("trigger").asText());
        assertEquals("ACTIVE", status());
        assertEquals("reactivated", tags().get("deckhand:drained-for"));
    }

    @Test
    void spotStopAndHibernate_thenRunning_reactivate() throws IOException {
        for (String action : new String[] {"stop", "hibernate"}) {
            TestAccount.invoke(handler, spot(target.ec2InstanceId(), action));
            assertEquals("DRAINING", status());
            stopAndStart();

            JsonNode running = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));

            assertEquals("REACTIVATE", running.path("decision").asText(), action);
            assertEquals("ACTIVE", status(), action);
        }
    }

    @Test
    void running_leavesAnOperatorsDrainAlone() throws IOException {
        ecs.updateContainerInstancesState(r -> r.cluster("batch").containerInstances(target.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));

        JsonNode running = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));

        assertEquals("LEFT_DRAINING", running.path("decision").asText());
        assertEquals("DRAINING", status());
        assertFalse(account.calls.calls().contains("ecs:UpdateContainerInstancesState"));
    }

    @Test
    void running_leavesADrainForTerminationAlone() throws IOException {
        TestAccount.invoke(handler, spot(target.ec2InstanceId(), "terminate"));
        assertEquals("termination", tags().get("deckhand:drained-for"));

        JsonNode running = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));

        assertEquals("LEFT_DRAINING", running.path("decision").asText());
        assertEquals("DRAINING", status());
    }

    /** Deckhand re-activated it once; an operator drains it later; it stops and starts: still the operator's drain. */
    @Test
    void running_afterReactivation_anOperatorsLaterDrainIsLeftAlone() throws IOException {
        TestAccount.invoke(handler, state(target.ec2InstanceId(), "stopping"));
        stopAndStart();
        TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));
        ecs.updateContainerInstancesState(r -> r.cluster("batch").containerInstances(target.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));
        stopAndStart();

        JsonNode again = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));

        assertEquals("LEFT_DRAINING", again.path("decision").asText());
        assertEquals("DRAINING", status());
    }

    @Test
    void running_ofAnActiveOrUnmanagedInstance_changesNothing() throws IOException {
        JsonNode active = TestAccount.invoke(handler, state(target.ec2InstanceId(), "running"));
        JsonNode unknown = TestAccount.invoke(handler, state("i-0123456789abcdef0", "running"));

        assertEquals("NOT_DRAINING", active.path("decision").asText());
        assertEquals("NOT_MANAGED", unknown.path("decision").asText());
        assertFalse(account.calls.calls().contains("ecs:UpdateContainerInstancesState"));
        assertFalse(account.calls.calls().contains("ecs:TagResource"));
    }

    @Test
    void running_inDryRun_decidesAndChangesNothing() throws IOException {
        TestAccount.invoke(handler, state(target.ec2InstanceId(), "stopping"));
        DrainInstanceHandler dry = account.handler(account.config(ManagedClusters.of("batch"), true), CLOCK);

        JsonNode running = TestAccount.invoke(dry, state(target.ec2InstanceId(), "running"));

        assertEquals("DRY_RUN_REACTIVATE", running.path("decision").asText());
        assertEquals("DRAINING", status());
    }
}
