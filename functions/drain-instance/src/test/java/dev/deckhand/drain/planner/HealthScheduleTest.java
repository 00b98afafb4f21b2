package dev.deckhand.drain.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.config.Env;
import dev.deckhand.drain.DrainConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthScheduleTest {

    private static final Instant START = Instant.parse("2026-08-27T13:19:03Z");
    private static final HealthSchedule SCHEDULE = new HealthSchedule(START, Duration.ofHours(1));

    /**
     * A scheduled stop drains as a stop (a stopped instance can be started again), reboot and network
     * maintenance as maintenance (the instance runs on), retirements for termination.
     */
    @Test
    void eachCode_drainsForWhatComesAfterIt() {
        Map<String, DrainedFor> expected = Map.of(
                "AWS_EC2_INSTANCE_STOP_SCHEDULED", DrainedFor.STOP,
                "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED", DrainedFor.MAINTENANCE,
                "AWS_EC2_INSTANCE_NETWORK_MAINTENANCE_SCHEDULED", DrainedFor.MAINTENANCE,
                "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", DrainedFor.TERMINATION,
                "AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED", DrainedFor.TERMINATION);
        assertEquals(HealthSchedule.DRAINING_CODES, expected.keySet());
        expected.forEach((code, drainedFor) -> assertEquals(drainedFor, HealthSchedule.drainedFor(code), code));
        assertEquals(DrainedFor.TERMINATION, HealthSchedule.drainedFor(null));
    }

    @Test
    void drainAt_isTheLeadBeforeTheStart() {
        assertEquals(Instant.parse("2026-08-27T12:19:03Z"), SCHEDULE.drainAt());
    }

    @Test
    void due_fromTheDrainTime_andAfterTheStart() {
        assertFalse(SCHEDULE.due(SCHEDULE.drainAt().minusMillis(1)));
        assertTrue(SCHEDULE.due(SCHEDULE.drainAt()));
        assertTrue(SCHEDULE.due(START.plus(Duration.ofDays(1))));
    }

    @Test
    void nextCheck_waitsAtMostOneSqsDelay_andNeverLandsBeforeTheDrainTime() {
        assertEquals(Duration.ofSeconds(900), SCHEDULE.nextCheck(START.minus(Duration.ofDays(3))));
        assertEquals(Duration.ofSeconds(600), SCHEDULE.nextCheck(SCHEDULE.drainAt().minusSeconds(600)));
        assertEquals(Duration.ofSeconds(11), SCHEDULE.nextCheck(SCHEDULE.drainAt().minusMillis(10_100)));
        assertEquals(Duration.ofSeconds(1), SCHEDULE.nextCheck(SCHEDULE.drainAt().minusMillis(1)));
    }

    @Test
    void onlyTheDocumentedEc2ScheduledChanges_drain() {
        assertTrue(HealthSchedule.drains("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED"));
        assertTrue(HealthSchedule.drains("AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED"));
        assertTrue(HealthSchedule.drains("AWS_EC2_INSTANCE_STOP_SCHEDULED"));
        assertTrue(HealthSchedule.drains("AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED"));
        assertFalse(HealthSchedule.drains("AWS_EC2_OPERATIONAL_ISSUE"));
        assertFalse(HealthSchedule.drains("aws_ec2_instance_retirement_scheduled"));
    }

    @Test
    void whyIgnored_namesTheReason() {
        String code = "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED";
        List<String> one = List.of("i-1234567890abcdef0");
        assertEquals(null, new ScheduledChange("e", code, "open", "us-east-2", START, one).whyIgnored("us-east-2"));
        assertEquals(null, new ScheduledChange("e", code, null, null, START, one).whyIgnored("us-east-2"));
        assertTrue(new ScheduledChange("e", "AWS_EC2_NEW", "open", "us-east-2", null, one).whyIgnored("us-east-2").contains("AWS_EC2_NEW"));
        assertTrue(new ScheduledChange("e", code, "closed", "us-east-2", START, one).whyIgnored("us-east-2").contains("closed"));
        assertTrue(new ScheduledChange("e", code, "open", "us-west-2", START, one).whyIgnored("us-east-2").contains("us-west-2"));
        assertTrue(new ScheduledChange("e", code, "open", "us-east-2", START, List.of()).whyIgnored("us-east-2").contains("no EC2 instance"));
    }

    @Test
    void scheduledDrainMessage_carriesTheSchedule_andRefusesWhatItCannotUse() {
        ScheduledDrain hop = ScheduledDrain.of("e-1", "i-1234567890abcdef0", "AWS_EC2_INSTANCE_STOP_SCHEDULED", SCHEDULE);
        assertEquals(SCHEDULE, hop.schedule());
        assertEquals(1, hop.next().hops());
        assertThrows(BadRecheckMessageException.class, () -> new ScheduledDrain(1, "e-1", "i-nope", "X", "2026-08-27T13:19:03Z",
                "2026-08-27T12:19:03Z", 0, null));
        assertThrows(BadRecheckMessageException.class, () -> new ScheduledDrain(1, "e-1", "i-1234567890abcdef0", "X",
                "2026-08-27T12:19:03Z", "2026-08-27T13:19:03Z", 0, null));
        assertThrows(BadRecheckMessageException.class, () -> new ScheduledDrain(2, "e-1", "i-1234567890abcdef0", "X",
                "2026-08-27T13:19:03Z", "2026-08-27T12:19:03Z", 0, null));
    }

    private static DrainConfig config(String lead) {
        return DrainConfig.from(new Env(Map.of("AWS_REGION", "us-east-2",
                DrainConfig.RECHECK_QUEUE_URL, "https://sqs.us-east-2.amazonaws.com/123456789012/DrainRecheckQueue",
                DrainConfig.HEALTH_DRAIN_LEAD, lead)));
    }

    /**
     * The maintenance watch: nothing read before the change's start; then over once EC2 describes no
     * reboot or maintenance still ahead ([Completed] or [Canceled] first in its description, API
     * Reference, InstanceStatusEvent), waiting while one is, ended for a stopped or gone instance, and
     * given up 14 days after the start.
     */
    @Test
    void maintenanceWatch_isOverOnceEc2DescribesTheMaintenanceDone() {
        ScheduledDrain watch = ScheduledDrain.watching("e-1", "i-1234567890abcdef0", "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED",
                SCHEDULE);
        assertTrue(watch.watches());
        assertFalse(ScheduledDrain.of("e-1", "i-1234567890abcdef0", "X", SCHEDULE).watches());
        assertEquals(START.plus(Duration.ofDays(14)).toString(), watch.giveUpAt());
        assertEquals(watch.giveUpAt(), watch.next().giveUpAt());
        Instant after = START.plus(Duration.ofHours(3));
        MaintenanceStatus.Event reboot = new MaintenanceStatus.Event("system-reboot", "scheduled reboot", null);

        assertFalse(watch.needsStatus(START.minusSeconds(1)));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(START.minusSeconds(1), null));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(after, new MaintenanceStatus("running", List.of(reboot))));
        assertEquals(ScheduledDrain.WatchStep.OVER, watch.watchStep(after, new MaintenanceStatus("running",
                List.of(new MaintenanceStatus.Event("system-reboot", "[Completed] scheduled reboot", null)))));
        assertEquals(ScheduledDrain.WatchStep.OVER, watch.watchStep(after, new MaintenanceStatus("running",
                List.of(new MaintenanceStatus.Event("system-maintenance", "[Canceled] network maintenance", null)))));
        assertEquals(ScheduledDrain.WatchStep.OVER, watch.watchStep(after, new MaintenanceStatus("running", List.of())));
        // a retirement still ahead is no maintenance: the instance is re-activated, and its own Health event drains it again
        assertEquals(ScheduledDrain.WatchStep.OVER, watch.watchStep(after, new MaintenanceStatus("running",
                List.of(new MaintenanceStatus.Event("instance-retirement", "retirement", null)))));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(after, new MaintenanceStatus("pending", List.of())));
        assertEquals(ScheduledDrain.WatchStep.NOT_RUNNING, watch.watchStep(after, new MaintenanceStatus("stopped", List.of(reboot))));
        assertEquals(ScheduledDrain.WatchStep.NOT_RUNNING, watch.watchStep(after, new MaintenanceStatus(null, List.of())));
        assertEquals(ScheduledDrain.WatchStep.GIVE_UP, watch.watchStep(START.plus(Duration.ofDays(14)),
                new MaintenanceStatus("running", List.of(reboot))));
    }

    /**
     * A maintenance the customer moved later after the drain: re-activated and drained again before the
     * new start, when the new drain time is over a hop away; closer than that, the instance stays DRAINING.
     */
    @Test
    void maintenanceWatch_aMaintenanceMovedLater_isMoved_whenItsNewDrainIsOverAHopAway() {
        ScheduledDrain watch = ScheduledDrain.watching("e-1", "i-1234567890abcdef0", "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED",
                SCHEDULE);
        Instant moved = START.plus(Duration.ofDays(1));
        MaintenanceStatus later = new MaintenanceStatus("running", List.of(new MaintenanceStatus.Event("system-reboot", "reboot", moved)));

        assertEquals(ScheduledDrain.WatchStep.MOVED, watch.watchStep(START, later));
        assertEquals(new HealthSchedule(moved, SCHEDULE.lead()), watch.rescheduled(later));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(moved.minus(SCHEDULE.lead()).minus(HealthSchedule.MAX_HOP), later),
                "its new drain a hop away or less: it stays DRAINING");
        MaintenanceStatus onTime = new MaintenanceStatus("running", List.of(new MaintenanceStatus.Event("system-reboot", "reboot", START)));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(START, onTime));
        assertEquals(null, watch.rescheduled(onTime));
        Instant sooner = START.minus(Duration.ofHours(6));
        MaintenanceStatus earlier = new MaintenanceStatus("running", List.of(new MaintenanceStatus.Event("system-reboot", "reboot", sooner)));
        assertEquals(new HealthSchedule(sooner, SCHEDULE.lead()), watch.rescheduled(earlier));
        assertEquals(ScheduledDrain.WatchStep.WAIT, watch.watchStep(START, earlier), "moved earlier after the drain: it stays DRAINING");
    }

    /**
     * At each hop: the change moved when the earliest pending event of its codes starts over a minute
     * before or after the Health event's start; none listed, one without a start, or one on time: as planned.
     */
    @Test
    void aChangeMoved_isReadFromItsOwnEventsOnly() {
        var codes = HealthSchedule.ec2EventCodes("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED");
        Instant later = START.plus(Duration.ofDays(2));
        Instant earlier = START.minus(Duration.ofDays(2));
        MaintenanceStatus.Event movedLater = new MaintenanceStatus.Event("instance-retirement", "retirement", later);
        MaintenanceStatus.Event movedEarlier = new MaintenanceStatus.Event("instance-retirement", "retirement", earlier);
        MaintenanceStatus.Event onTime = new MaintenanceStatus.Event("instance-stop", "stop", START.plusSeconds(30));
        MaintenanceStatus.Event reboot = new MaintenanceStatus.Event("system-reboot", "reboot", START.minus(Duration.ofDays(1)));

        assertEquals(later, new MaintenanceStatus("running", List.of(movedLater)).movedTo(codes, START));
        assertEquals(earlier, new MaintenanceStatus("running", List.of(movedEarlier)).movedTo(codes, START));
        assertEquals(earlier, new MaintenanceStatus("running", List.of(onTime, movedEarlier)).movedTo(codes, START),
                "the earliest pending event is the one to drain before");
        assertEquals(null, new MaintenanceStatus("running", List.of(movedLater, onTime)).movedTo(codes, START));
        assertEquals(null, new MaintenanceStatus("running", List.of(reboot)).movedTo(codes, START), "another kind of event moves nothing");
        assertEquals(null, new MaintenanceStatus("running", List.of()).movedTo(codes, START));
        assertEquals(null, new MaintenanceStatus("running", List.of(movedEarlier, new MaintenanceStatus.Event("instance-stop", "stop", null)))
                .movedTo(codes, START), "an event without a start moves nothing");
        assertEquals(null, new MaintenanceStatus("running", List.of(new MaintenanceStatus.Event("instance-retirement",
                "[Completed] retirement", earlier))).movedTo(codes, START));
        assertEquals(Set.of("instance-reboot", "system-reboot"), HealthSchedule.ec2EventCodes("AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED"));
        assertEquals(Set.of(), HealthSchedule.ec2EventCodes("AWS_EC2_OPERATIONAL_ISSUE"));
    }

    @Test
    void maintenanceWatch_hopsToTheStart_thenEveryFifteenMinutes() {
        assertEquals(Duration.ofMinutes(10), ScheduledDrain.nextWatch(START.minus(Duration.ofMinutes(10)), START));
        assertEquals(HealthSchedule.MAX_HOP, ScheduledDrain.nextWatch(START.minus(Duration.ofHours(1)), START));
        assertEquals(HealthSchedule.MAX_HOP, ScheduledDrain.nextWatch(START, START));
    }

    @Test
    void healthDrainLead_defaultsToAnHour_andIsValidatedAtStartUp() {
        DrainConfig defaults = DrainConfig.from(new Env(Map.of("AWS_REGION", "us-east-2",
                DrainConfig.RECHECK_QUEUE_URL, "https://sqs.us-east-2.amazonaws.com/123456789012/DrainRecheckQueue")));
        assertEquals(Duration.ofHours(1), defaults.healthDrainLead());
        assertEquals(Duration.ofMinutes(90), config("90m").healthDrainLead());
        assertEquals(Duration.ofDays(2), config("2d").healthDrainLead());
        for (String bad : List.of("1m", "8d", "soon")) {
            ConfigException error = assertThrows(ConfigException.class, () -> config(bad));
            assertTrue(error.getMessage().contains(DrainConfig.HEALTH_DRAIN_LEAD), error.getMessage());
        }
    }
}
