package dev.deckhand.capacity.handler;

import static dev.deckhand.capacity.handler.HoldAccount.config;
import static dev.deckhand.capacity.handler.HoldAccount.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.capacity.executor.HoldTags;
import dev.deckhand.core.config.ManagedClusters;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * A Spot shortage that outlasts the On-Demand hold: hold-capacity is at its cap, and after the hold
 * window the Spot side with what it holds is still below its desired capacity. The scheduled run
 * publishes {@code Deckhand Capacity Shortage} SHORT once, on Deckhand's own bus, and RESOLVED once
 * capacity is back.
 */
@Tag("emulator")
class CapacityShortageTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final ManagedClusters WEB = ManagedClusters.of("web");

    HoldAccount account;

    @BeforeEach
    void account() {
        account = new HoldAccount();
        account.seed.cluster("web");
        account.groups.onDemand("web-spot", 3, 10, Map.of(HoldTags.SPOT, "web"));
        // The lever may hold one instance at most.
        account.groups.onDemand("web-od", 2, 10, Map.of(HoldTags.LEVER, "web", HoldTags.MAX, "1"));
    }

    private JsonNode at(Instant now, String event) throws IOException {
        account.calls.reset();
        return invoke(account.handler(config(WEB, false), now), event);
    }

    private JsonNode schedule(Duration after) throws IOException {
        return at(T.plus(after), HoldAccount.schedule(T.plus(after)));
    }

    private int puts() {
        return account.calls.byOperation().getOrDefault("eventbridge:PutEvents", 0);
    }

    private void spotHealth(String status) {
        var autoscaling = account.aws.client(AutoScalingClient.builder(), HoldAccount.REGION);
        for (var instance : account.group("web-spot").instances().subList(0, 2)) {
            autoscaling.setInstanceHealth(r -> r.instanceId(instance.instanceId()).healthStatus(status));
        }
    }

    @Test
    void cappedAndStillShortAfterTheWindow_publishesShortOnce_thenResolvedWhenSpotIsBack() throws IOException {
        spotHealth("Unhealthy");   // 1 of 3 Spot in service
        at(T.plusSeconds(10), HoldAccount.launchUnsuccessful("web-spot",
                "There is no Spot capacity available that matches your request. Launching EC2 instance failed.", T));
        assertEquals("1", account.tags("web-od").get(HoldTags.ADDED), "capped at 1");

        JsonNode withinWindow = schedule(Duration.ofMinutes(5));
        int putsWithinWindow = puts();
        JsonNode outlasted = schedule(Duration.ofMinutes(11));
        int putsOutlasted = puts();
        String shortSince = account.tags("web-od").get(HoldTags.SHORT_SINCE);
        JsonNode stillShort = schedule(Duration.ofMinutes(21));
        int putsStillShort = puts();

        assertEquals("null", withinWindow.at("/levers/0/shortage").toString(), withinWindow.toString());
        assertEquals(0, putsWithinWindow, "not within the hold window");
        assertEquals("SHORT", outlasted.at("/levers/0/shortage").asText(), outlasted.toString());
        assertEquals(1, putsOutlasted);
        assertEquals(T.plus(Duration.ofMinutes(11)).toString(), shortSince);
        assertEquals(0, putsStillShort, "published once: " + stillShort);
        assertEquals("null", stillShort.at("/levers/0/shortage").toString());

        spotHealth("Healthy");
        JsonNode back = schedule(Duration.ofMinutes(31));
        int putsBack = puts();
        JsonNode after = schedule(Duration.ofMinutes(41));

        assertEquals("RESOLVED", back.at("/levers/0/shortage").asText(), back.toString());
        assertEquals(1, putsBack);
        assertFalse(account.tags("web-od").containsKey(HoldTags.SHORT_SINCE));
        assertEquals("null", after.at("/levers/0/shortage").toString(), after.toString());
    }

    @Test
    void notCapped_isNoShortage_holdCapacityRaisesInstead() throws IOException {
        account.groups.autoscaling().createOrUpdateTags(r -> r.tags(t -> t.resourceId("web-od").resourceType("auto-scaling-group")
                .key(HoldTags.MAX).value("5").propagateAtLaunch(false)));
        spotHealth("Unhealthy");
        at(T.plusSeconds(10), HoldAccount.launchUnsuccessful("web-spot",
                "There is no Spot capacity available that matches your request. Launching EC2 instance failed.", T));

        JsonNode later = schedule(Duration.ofMinutes(20));

        assertEquals("null", later.at("/levers/0/shortage").toString(), later.toString());
        assertEquals(0, puts());
        assertEquals("2", account.tags("web-od").get(HoldTags.ADDED));
    }

    @Test
    void dryRun_reportsTheShortage_butPublishesAndRecordsNothing() throws IOException {
        spotHealth("Unhealthy");
        at(T.plusSeconds(10), HoldAccount.launchUnsuccessful("web-spot",
                "There is no Spot capacity available that matches your request. Launching EC2 instance failed.", T));
        account.calls.reset();

        JsonNode dry = invoke(account.handler(config(WEB, true), T.plus(Duration.ofMinutes(11))),
                HoldAccount.schedule(T.plus(Duration.ofMinutes(11))));

        assertEquals("SHORT", dry.at("/levers/0/shortage").asText(), dry.toString());
        assertTrue(account.calls.calls().stream().noneMatch(c -> c.contains("PutEvents") || c.contains("Tags")),
                account.calls.calls().toString());
        assertFalse(account.tags("web-od").containsKey(HoldTags.SHORT_SINCE));
        assertEquals(List.of(), account.calls.calls().stream().filter(c -> c.startsWith("eventbridge")).toList());
    }
}
