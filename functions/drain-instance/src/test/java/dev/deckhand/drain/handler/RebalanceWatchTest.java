package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.MovableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * A rebalance recommendation drains an instance whose group has Capacity Rebalancing, because Auto
 * Scaling launches a replacement and then terminates it. But "being at or near the specified maximum
 * capacity could impede or completely halt rebalancing activities" (EC2 Auto Scaling User Guide,
 * "Capacity Rebalancing in Auto Scaling to replace at-risk Spot Instances",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html): the instance
 * then runs on, DRAINING. drain-instance looks again {@code DECKHAND_REBALANCE_DRAIN_MAX} after the drain.
 */
@Tag("emulator")
class RebalanceWatchTest {

    private static final String GROUP = "batch-asg";

    private TestAccount account;
    private MovableClock clock;
    private SeededInstance target;
    private DrainInstanceHandler handler;

    @BeforeEach
    void seed() {
        account = new TestAccount();
        clock = new MovableClock(Instant.parse("2026-11-22T10:00:05Z"));
        account.seed.cluster("batch");
        target = account.seed.instance("batch", "a", true);
        account.inGroup(target.ec2InstanceId(), GROUP, true);
        handler = account.handler(account.config(ManagedClusters.of("batch"), false), clock);
    }

    private String status() {
        return account.status(target);
    }

    private Map<String, String> tags() {
        return account.tags(target);
    }

    private void drainForTheRecommendation() throws IOException {
        JsonNode result = TestAccount.invoke(handler, SignalsTest.rebalance(target.ec2InstanceId()));
        assertEquals("DRAIN", result.path("decision").asText());
        assertEquals("rebalance", tags().get("deckhand:drained-for"));
    }

    @Test
    void noReplacementWithinTheBound_theInstanceIsActiveAgain() throws IOException {
        Instant drainedAt = clock.instant();
        drainForTheRecommendation();

        new RecheckPoller(account, clock).drainQueue(handler, 100);

        assertEquals("ACTIVE", status());
        assertEquals("reactivated", tags().get("deckhand:drained-for"));
        Instant reactivated = Instant.parse(tags().get("deckhand:reactivated-at"));
        assertEquals(drainedAt.plus(DrainConfig.DEFAULT_REBALANCE_DRAIN_MAX), reactivated);
    }

    @Test
    void autoScalingTerminatesIt_theDrainStays() throws IOException {
        drainForTheRecommendation();
        account.aws.client(AutoScalingClient.builder(), TestAccount.REGION).terminateInstanceInAutoScalingGroup(r -> r
                .instanceId(target.ec2InstanceId()).shouldDecrementDesiredCapacity(false));

        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 100);

        assertTrue(poller.deliveries > 0, "the watch never ran");
        assertEquals("DRAINING", status());
        assertEquals("rebalance", tags().get("deckhand:drained-for"));
    }

    /** The Spot warning that follows makes it a drain for termination: the bound no longer undoes it. */
    @Test
    void aSpotWarningAfterTheDrain_theDrainStays() throws IOException {
        drainForTheRecommendation();
        JsonNode warning = TestAccount.invoke(handler, SignalsTest.spot(target.ec2InstanceId()));
        assertEquals("ALREADY_DRAINING", warning.path("decision").asText());
        assertEquals("termination", tags().get("deckhand:drained-for"));

        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 100);

        assertTrue(poller.deliveries > 0, "the watch never ran");
        assertEquals("DRAINING", status());
        assertEquals("termination", tags().get("deckhand:drained-for"));
    }
}
