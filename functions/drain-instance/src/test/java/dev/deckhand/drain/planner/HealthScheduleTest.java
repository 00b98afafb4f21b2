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
import org.junit.jupiter.api.Test;

class HealthScheduleTest {

    private static final Instant START = Instant.parse("2026-08-27T13:19:03Z");
    private static final HealthSchedule SCHEDULE = new HealthSchedule(START, Duration.ofHours(1));

    /** Only a scheduled stop drains as a stop: a stopped instance can be started again; the others are gone or back by themselves. */
    @Test
    void onlyAScheduledStop_drainsAsAStop() {
        for (String code : HealthSchedule.DRAINING_CODES) {
            assertEquals(code.equals("AWS_EC2_INSTANCE_STOP_SCHEDULED"), HealthSchedule.stops(code), code);
        }
        assertFalse(HealthSchedule.stops(null));
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
                "2026-08-27T12:19:03Z", 0));
        assertThrows(BadRecheckMessageException.class, () -> new ScheduledDrain(1, "e-1", "i-1234567890abcdef0", "X",
                "2026-08-27T12:19:03Z", "2026-08-27T13:19:03Z", 0));
        assertThrows(BadRecheckMessageException.class, () -> new ScheduledDrain(2, "e-1", "i-1234567890abcdef0", "X",
                "2026-08-27T13:19:03Z", "2026-08-27T12:19:03Z", 0));
    }

    private static DrainConfig config(String lead) {
        return DrainConfig.from(new Env(Map.of("AWS_REGION", "us-east-2",
                DrainConfig.RECHECK_QUEUE_URL, "https://sqs.us-east-2.amazonaws.com/123456789012/DrainRecheckQueue",
                DrainConfig.HEALTH_DRAIN_LEAD, lead)));
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
