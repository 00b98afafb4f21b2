package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.planner.HealthSchedule;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.MovableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStatusEvent;

/**
 * AWS Health scheduled changes for EC2 (instance retirement, stop, reboot maintenance) against the
 * emulator: drained {@code DECKHAND_HEALTH_DRAIN_LEAD} before the change's start, at once inside
 * the lead, through the recheck queue's delayed hops when the event comes days ahead.
 *
 * The events are AWS's documented sample, events/health-scheduled-retirement.json: AWS Health User
 * Guide, "Reference: AWS Health events Amazon EventBridge schema",
 * https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html, "Account-specific
 * AWS Health Event - Amazon EC2 Instance Retirement" (region us-east-2 for us-east-1), with the
 * event type, start time and instances each test names.
 */
@Tag("emulator")
class HealthEventTest {

    private static final Path SAMPLE = DeckhandHome.find().resolve("events/health-scheduled-retirement.json");
    /** The sample's startTime, "Thu, 27 Aug 2026 13:19:03 GMT". */
    private static final Instant SAMPLE_START = Instant.parse("2026-08-27T13:19:03Z");
    private static final Duration LEAD = Duration.ofHours(1);
    private static final String RETIREMENT = "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED";
    private static final DateTimeFormatter HEALTH_TIME = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private TestAccount account;
    private MovableClock clock;
    private SeededInstance target;
    private SeededInstance neighbour;

    @BeforeEach
    void seed() {
        account = new TestAccount();
        clock = new MovableClock(Instant.parse("2026-08-20T09:00:00Z"));
        account.seed.cluster("batch");
        account.seed.cluster("other");
        target = account.seed.instance("batch", "a", false);
        neighbour = account.seed.instance("batch", "b", false);
    }

    private DrainInstanceHandler handler() {
        return handler(false);
    }

    private DrainInstanceHandler handler(boolean dryRun) {
        DrainConfig config = account.config(ManagedClusters.of("batch"), dryRun).withHealthDrainLead(LEAD);
        return account.handler(config, clock);
    }

    /** AWS's sample with this event type, start time and affected entities (ARNs or bare ids). */
    private static String event(String id, String code, Instant start, String... entities) throws IOException {
        ObjectNode event = (ObjectNode) TestAccount.JSON.readTree(Files.readString(SAMPLE));
        event.put("id", id);
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("eventTypeCode", code);
        detail.put("startTime", HEALTH_TIME.format(start));
        ArrayNode affected = detail.putArray("affectedEntities");
        for (String entity : entities) {
            affected.addObject().put("entityValue", entity).put("status", "PENDING");
        }
        return event.toString();
    }

    private static String arn(String instanceId) {
        return "arn:aws:ec2:us-east-2:123456789012:instance/" + instanceId;
    }

    private String status(SeededInstance instance) {
        return account.status(instance);
    }

    private Map<String, String> tags(SeededInstance instance) {
        return account.tags(instance);
    }

    /** Drain calls of the last invocation (the counter starts again with each one). */
    private long drainCalls() {
        return account.calls.calls().stream().filter("ecs:UpdateContainerInstancesState"::equals).count();
    }

    @Test
    void eventInsideTheLead_drainsNow_withTheChangeStartAsDeadline() throws IOException {
        Instant start = clock.instant().plus(Duration.ofMinutes(40));

        JsonNode result = TestAccount.invoke(handler(), event("e-1", RETIREMENT, start, arn(target.ec2InstanceId())));

        JsonNode drain = result.path("instances").get(0);
        assertEquals("DRAIN", drain.path("decision").asText());
        assertEquals("HEALTH_SCHEDULED_CHANGE", drain.path("trigger").asText());
        assertEquals(start.toString(), drain.path("deadline").asText());
        assertEquals(2400, drain.path("secondsLeft").asLong());
        assertEquals("DRAINING", status(target));
        assertEquals("ACTIVE", status(neighbour));
        assertEquals("HEALTH_SCHEDULED_CHANGE", tags(target).get("deckhand:drained-by"));
        assertFalse(account.calls.calls().contains("sqs:SendMessage"), account.calls.calls().toString());
    }

    @Test
    void eventDaysAhead_schedulesTheDrain_andDoesNotDrain() throws IOException {
        Instant start = clock.instant().plus(Duration.ofDays(3));

        JsonNode result = TestAccount.invoke(handler(), event("e-1", RETIREMENT, start, arn(target.ec2InstanceId())));

        JsonNode scheduled = result.path("instances").get(0);
        assertEquals("SCHEDULED", scheduled.path("decision").asText());
        assertEquals(start.minus(LEAD).toString(), result.path("drainAt").asText());
        assertEquals("ACTIVE", status(target));
        assertEquals(0, drainCalls());
        assertEquals(1, account.calls.calls().stream().filter("sqs:SendMessage"::equals).count());
        assertEquals(start.minus(LEAD).toString(), tags(target).get("deckhand:drain-scheduled-at"));
    }

    @Test
    void theDelayedChecks_drainAtTheLeadBeforeTheStart_andNotBefore() throws IOException {
        Instant start = clock.instant().plus(Duration.ofHours(6));
        Instant drainAt = start.minus(LEAD);
        DrainInstanceHandler handler = handler();
        TestAccount.invoke(handler, event("e-1", RETIREMENT, start, arn(target.ec2InstanceId())));
        RecheckPoller poller = new RecheckPoller(account, clock);
        // Five hours of 15-minute hops (each reads the instance's events): the 20th lands on the drain time.
        long hops = Duration.between(clock.instant(), drainAt).toSeconds() / 900;

        poller.drainQueue(handler, (int) hops - 1);

        assertEquals("ACTIVE", status(target));
        assertTrue(clock.instant().isBefore(drainAt), clock.instant().toString());
        assertEquals(0, drainCalls());

        poller.drainQueue(handler, 1000);

        assertEquals(hops, poller.deliveries);
        assertEquals("DRAINING", status(target));
        assertEquals(drainAt.toString(), tags(target).get("deckhand:drained-at"));
        assertEquals(1, drainCalls());
        assertEquals("ACTIVE", status(neighbour));
    }

    /**
     * A scheduled stop drains as a stop, now or at the end of the delayed checks: EC2 stops the
     * instance, which the customer can start again with the same container instance, and Deckhand
     * re-activates it when it runs (README, "Stops are not terminations"). A retirement drains for
     * termination.
     */
    @Test
    void aScheduledStop_drainsAsAStop_andRunningAgainReactivates_aRetirementDoesNot() throws IOException {
        DrainInstanceHandler handler = handler();
        TestAccount.invoke(handler, event("e-1", "AWS_EC2_INSTANCE_STOP_SCHEDULED", clock.instant().plus(Duration.ofHours(2)),
                arn(target.ec2InstanceId())));
        new RecheckPoller(account, clock).drainQueue(handler, 100);
        TestAccount.invoke(handler, event("e-2", RETIREMENT, clock.instant().plus(Duration.ofMinutes(30)), arn(neighbour.ec2InstanceId())));
        assertEquals("stop", tags(target).get("deckhand:drained-for"));
        assertEquals("termination", tags(neighbour).get("deckhand:drained-for"));

        for (SeededInstance instance : List.of(target, neighbour)) {
            TestAccount.invoke(handler, SignalsTest.stateChange(instance.ec2InstanceId(), "running", clock.instant()));
        }

        assertEquals("ACTIVE", status(target));
        assertEquals("DRAINING", status(neighbour));
    }

    /**
     * Reboot and network maintenance leave the instance running, with no state change: drain-instance
     * drains it for maintenance, then reads the instance's scheduled event (DescribeInstanceStatus)
     * every 15 minutes from the change's start, and sets it ACTIVE once EC2 describes the event
     * [Completed]. A retirement's drain stays.
     */
    @Test
    void rebootMaintenance_drainsForMaintenance_andReactivatesOnceEc2CompletesTheEvent() throws IOException {
        useEmulatorClock();
        Instant start = clock.instant().plus(Duration.ofMinutes(30));
        scheduleEc2Event(target, "system-reboot", Duration.ofMinutes(30), Duration.ofHours(2));
        DrainInstanceHandler handler = handler();

        TestAccount.invoke(handler, event("e-1", "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED", start, arn(target.ec2InstanceId())));
        TestAccount.invoke(handler, event("e-2", RETIREMENT, start, arn(neighbour.ec2InstanceId())));
        assertEquals("DRAINING", status(target));
        assertEquals("maintenance", tags(target).get("deckhand:drained-for"));

        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 1000);

        assertEquals("ACTIVE", status(target));
        assertEquals("reactivated", tags(target).get("deckhand:drained-for"));
        Instant reactivated = Instant.parse(tags(target).get("deckhand:reactivated-at"));
        assertTrue(!reactivated.isBefore(start.plus(Duration.ofHours(2))), "re-activated at " + reactivated + ", inside the window");
        assertTrue(reactivated.isBefore(start.plus(Duration.ofHours(2)).plus(HealthSchedule.MAX_HOP).plusSeconds(1)),
                "re-activated at " + reactivated + ", more than a hop after the window");
        assertEquals("DRAINING", status(neighbour));
    }

    /**
     * The customer moves the change later (EC2 User Guide, "Reschedule a scheduled event for an EC2
     * instance"): a hop reads the instance's event, finds it later, and the drain moves to the lead
     * before the new start.
     */
    @Test
    void aChangeMovedLater_drainsAtTheLeadBeforeItsNewStart() throws IOException {
        DrainInstanceHandler handler = retirementInEc2AndHealth(Duration.ofHours(3));
        Instant newStart = rescheduleEc2Event(target, Duration.ofHours(5));

        new RecheckPoller(account, clock).drainQueue(handler, 1000);

        assertDrainedAt(newStart.minus(LEAD));
    }

    /**
     * The customer moves the change earlier, as the reschedule page allows (any time at least 60 minutes
     * ahead, up to the deadline): the next hop reads the instance's event, and the drain moves to the lead
     * before the new start, not the old one, days after the reboot.
     */
    @Test
    void aChangeMovedEarlier_drainsAtTheLeadBeforeItsNewStart() throws IOException {
        DrainInstanceHandler handler = retirementInEc2AndHealth(Duration.ofDays(3));
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 2);
        Instant newStart = rescheduleEc2Event(target, Duration.ofHours(2));

        poller.drainQueue(handler, 1000);

        assertDrainedAt(newStart.minus(LEAD));
    }

    /**
     * A reboot maintenance the customer moves hours later after drain-instance drained for it: at the
     * change's old start the watch reads the event, moved, and sets the instance ACTIVE again rather than
     * keep it DRAINING for hours; a new chain drains it at the lead before the new start, and once EC2
     * completes the reboot it is ACTIVE again.
     */
    @Test
    void aMaintenanceMovedLaterAfterItsDrain_reactivatesTheInstance_andDrainsAgainBeforeTheNewStart() throws IOException {
        useEmulatorClock();
        scheduleEc2Event(target, "system-reboot", Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofDays(7));
        DrainInstanceHandler handler = handler();
        TestAccount.invoke(handler, event("e-1", "AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED", clock.instant().plus(Duration.ofMinutes(30)),
                arn(target.ec2InstanceId())));
        assertEquals("DRAINING", status(target));
        Instant newStart = rescheduleEc2Event(target, Duration.ofHours(6));
        RecheckPoller poller = new RecheckPoller(account, clock);

        poller.drainQueue(handler, 2);

        assertEquals("ACTIVE", status(target), "re-activated at the old start, the maintenance hours away");
        assertEquals("reactivated", tags(target).get("deckhand:drained-for"));

        poller.drainQueue(handler, 1000);

        assertEquals(newStart.minus(LEAD).toString(), tags(target).get("deckhand:drained-at"));
        assertEquals("ACTIVE", status(target));
        assertTrue(!Instant.parse(tags(target).get("deckhand:reactivated-at")).isBefore(newStart.plus(Duration.ofHours(2))),
                "re-activated at " + tags(target).get("deckhand:reactivated-at") + ", inside the moved window");
    }

    /**
     * A retirement of the target that EC2 schedules (with a week's deadline) and AWS Health announces,
     * {@code startsIn} from now, on the emulator's clock.
     */
    private DrainInstanceHandler retirementInEc2AndHealth(Duration startsIn) throws IOException {
        useEmulatorClock();
        scheduleEc2Event(target, "instance-retirement", startsIn, Duration.ofHours(1), Duration.ofDays(7));
        DrainInstanceHandler handler = handler();
        TestAccount.invoke(handler, event("e-1", RETIREMENT, clock.instant().plus(startsIn), arn(target.ec2InstanceId())));
        return handler;
    }

    /** The test's clock from the emulator's now, where EC2's event times are compared with the Health event's. */
    private void useEmulatorClock() {
        clock = new MovableClock(emulatorNow().truncatedTo(ChronoUnit.SECONDS));
    }

    private Instant emulatorNow() {
        return Instant.ofEpochMilli((long) (account.aws.control("clock/advance", Map.of("seconds", 0)).path("now").asDouble() * 1000));
    }

    /** The customer's ModifyInstanceEventStartTime of the instance's event to {@code startsIn} from the emulator's now; the new start. */
    private Instant rescheduleEc2Event(SeededInstance instance, Duration startsIn) {
        Ec2Client ec2 = account.aws.client(Ec2Client.builder(), TestAccount.REGION);
        Instant now = emulatorNow();
        InstanceStatusEvent scheduled = ec2.describeInstanceStatus(r -> r.instanceIds(instance.ec2InstanceId())).instanceStatuses().get(0)
                .events().get(0);
        Instant newStart = now.plus(startsIn).truncatedTo(ChronoUnit.SECONDS);
        ec2.modifyInstanceEventStartTime(r -> r.instanceId(instance.ec2InstanceId()).instanceEventId(scheduled.instanceEventId())
                .notBefore(newStart));
        return newStart;
    }

    /** The target is DRAINING, drained within two seconds of {@code expected}. */
    private void assertDrainedAt(Instant expected) {
        assertEquals("DRAINING", status(target));
        Instant drainedAt = Instant.parse(tags(target).get("deckhand:drained-at"));
        assertTrue(!drainedAt.isBefore(expected.minusSeconds(2)) && drainedAt.isBefore(expected.plusSeconds(2)),
                "drained at " + drainedAt + ", not at the moved drain time " + expected);
    }

    /** EC2's scheduled event for this instance, from the emulator's clock (only EC2 schedules them). */
    private void scheduleEc2Event(SeededInstance instance, String code, Duration startsIn, Duration lasts) {
        scheduleEc2Event(instance, code, startsIn, lasts, null);
    }

    /** @param deadline how long from now it may be rescheduled to; null: it cannot be */
    private void scheduleEc2Event(SeededInstance instance, String code, Duration startsIn, Duration lasts, Duration deadline) {
        Map<String, Object> body = new HashMap<>(Map.of("region", TestAccount.REGION, "instanceId", instance.ec2InstanceId(),
                "code", code, "startsInSeconds", startsIn.toSeconds(), "lastsSeconds", lasts.toSeconds()));
        if (deadline != null) {
            body.put("deadlineInSeconds", deadline.toSeconds());
        }
        account.aws.control("ec2/scheduled-event", body);
    }

    /** The drain call of the last hop reaches ECS but its answer is lost: SQS delivers the hop again, and it finishes that drain. */
    @Test
    void aHopWhoseDrainFails_isDeliveredAgainBySqs_andFinishesTheDrainOnce() throws IOException {
        account = new TestAccount(new SignalsTest.LoseAnswerOnce("UpdateContainerInstancesState"));
        account.seed.cluster("batch");
        target = account.seed.instance("batch", "a", false);
        DrainInstanceHandler handler = handler();
        Instant drainAt = clock.instant().plus(Duration.ofHours(3));
        TestAccount.invoke(handler, event("e-1", RETIREMENT, drainAt.plus(LEAD), arn(target.ec2InstanceId())));
        RecheckPoller poller = new RecheckPoller(account, clock);

        String logs = SignalsTest.captureLogs(() -> poller.drainQueue(handler, 1000));

        assertEquals(13, poller.deliveries, "12 hops, then the last one again after the visibility timeout");
        assertEquals("DRAINING", status(target));
        assertEquals(drainAt.plus(RecheckPoller.VISIBILITY_TIMEOUT), clock.instant());
        assertTrue(logs.contains("scheduled drain check failed"), logs);
        assertEquals(1, logs.lines().filter(line -> line.contains("\"notification\":true")).count());
    }

    @Test
    void aMalformedScheduledDrainMessage_isReportedAsFailed_andChangesNothing() throws IOException {
        String body = "{\"version\":1,\"eventId\":\"e-1\",\"instanceId\":\"i-../../etc\",\"eventTypeCode\":\"" + RETIREMENT
                + "\",\"startAt\":\"2026-08-27T13:19:03Z\",\"drainAt\":\"2026-08-27T12:19:03Z\",\"hops\":0}";
        ObjectNode batch = TestAccount.JSON.createObjectNode();
        ObjectNode record = batch.putArray("Records").addObject();
        record.put("messageId", "m-1").put("receiptHandle", "r-1").put("body", body);
        record.putObject("attributes").put("ApproximateReceiveCount", "1");

        JsonNode answer = TestAccount.invoke(handler(), batch.toString());

        assertEquals("m-1", answer.path("batchItemFailures").get(0).path("itemIdentifier").asText());
        assertEquals(List.of(), account.calls.calls());
    }

    @Test
    void aRepeatedEvent_drainsOnce_daysAheadAndInsideTheLead() throws IOException {
        Instant start = clock.instant().plus(Duration.ofHours(6));
        DrainInstanceHandler handler = handler();
        String event = event("e-1", RETIREMENT, start, arn(target.ec2InstanceId()));
        List<String> decisions = new ArrayList<>();
        RecheckPoller poller = new RecheckPoller(account, clock);

        long[] drainCalls = new long[1];

        String logs = SignalsTest.captureLogs(() -> {
            decisions.add(TestAccount.invoke(handler, event).path("instances").get(0).path("decision").asText());
            drainCalls[0] += drainCalls();
            decisions.add(TestAccount.invoke(handler, event).path("instances").get(0).path("decision").asText());
            drainCalls[0] += drainCalls();
            poller.drainQueue(handler, 1000);
            drainCalls[0] += drainCalls(); // the counter holds the last invocation's calls: the hop that drained
            decisions.add(TestAccount.invoke(handler, event).path("instances").get(0).path("decision").asText());
            drainCalls[0] += drainCalls();
        });

        assertEquals(List.of("SCHEDULED", "ALREADY_SCHEDULED", "ALREADY_DRAINING"), decisions);
        assertEquals(20, poller.deliveries, "one chain of hops (5 hours of 15 minutes), not two");
        assertEquals(1, drainCalls[0]);
        assertEquals(1, logs.lines().filter(line -> line.contains("\"notification\":true")).count());
        assertEquals("DRAINING", status(target));
    }

    @Test
    void instanceInNoManagedCluster_isNotManaged_insideTheLeadAndDaysAhead() throws IOException {
        SeededInstance unmanaged = account.seed.instance("other", "a", false);
        DrainInstanceHandler handler = handler();

        JsonNode now = TestAccount.invoke(handler, event("e-1", RETIREMENT, clock.instant().plus(Duration.ofMinutes(10)),
                unmanaged.ec2InstanceId()));
        JsonNode later = TestAccount.invoke(handler, event("e-2", RETIREMENT, clock.instant().plus(Duration.ofDays(5)),
                unmanaged.ec2InstanceId()));

        assertEquals("NOT_MANAGED", now.path("instances").get(0).path("decision").asText());
        assertEquals("NOT_MANAGED", later.path("instances").get(0).path("decision").asText());
        assertEquals("ACTIVE", status(unmanaged));
        assertEquals(0, drainCalls());
        assertFalse(account.calls.calls().contains("sqs:SendMessage"), "no drain is scheduled for it");
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler, 10);
        assertEquals(0, poller.deliveries);
    }

    @Test
    void aBareIdAnArnAndResources_eachNameAnInstance_onceEach() throws IOException {
        SeededInstance third = account.seed.instance("batch", "a", false);
        ObjectNode event = (ObjectNode) TestAccount.JSON.readTree(event("e-1", "AWS_EC2_INSTANCE_STOP_SCHEDULED",
                clock.instant().plus(Duration.ofMinutes(30)), target.ec2InstanceId(), arn(neighbour.ec2InstanceId())));
        event.putArray("resources").add(target.ec2InstanceId()).add(arn(third.ec2InstanceId()));

        JsonNode result = TestAccount.invoke(handler(), event.toString());

        List<String> drained = new ArrayList<>();
        result.path("instances").forEach(i -> drained.add(i.path("instanceId").asText() + " " + i.path("decision").asText()));
        assertEquals(List.of(target.ec2InstanceId() + " DRAIN", neighbour.ec2InstanceId() + " DRAIN",
                third.ec2InstanceId() + " DRAIN"), drained);
        assertEquals("DRAINING", status(target));
        assertEquals("DRAINING", status(neighbour));
        assertEquals("DRAINING", status(third));
    }

    @Test
    void anEventTypeItDoesNotDrainFor_isLoggedAndIgnored_withNoCall() throws IOException {
        String code = "AWS_EC2_SOMETHING_NEW_SCHEDULED";
        JsonNode[] result = new JsonNode[1];

        String logs = SignalsTest.captureLogs(() -> result[0] = TestAccount.invoke(handler(),
                event("e-1", code, clock.instant().plus(Duration.ofMinutes(10)), arn(target.ec2InstanceId()))));

        assertEquals("IGNORED", result[0].path("decision").asText());
        assertTrue(result[0].path("reason").asText().contains(code), result[0].toString());
        assertTrue(logs.lines().anyMatch(line -> line.contains(code) && line.contains("IGNORED")), logs);
        assertEquals(List.of(), account.calls.calls());
        assertEquals("ACTIVE", status(target));
    }

    @Test
    void aClosedChange_isIgnored_withNoCall() throws IOException {
        ObjectNode event = (ObjectNode) TestAccount.JSON.readTree(event("e-1", RETIREMENT,
                clock.instant().minus(Duration.ofHours(2)), arn(target.ec2InstanceId())));
        ((ObjectNode) event.get("detail")).put("statusCode", "closed");

        JsonNode result = TestAccount.invoke(handler(), event.toString());

        assertEquals("IGNORED", result.path("decision").asText());
        assertEquals(List.of(), account.calls.calls());
        assertEquals("ACTIVE", status(target));
    }

    @Test
    void dryRun_daysAhead_schedulesNothing() throws IOException {
        JsonNode result = TestAccount.invoke(handler(true), event("e-1", RETIREMENT, clock.instant().plus(Duration.ofDays(3)),
                arn(target.ec2InstanceId())));

        assertEquals("DRY_RUN_SCHEDULE", result.path("instances").get(0).path("decision").asText());
        RecheckPoller poller = new RecheckPoller(account, clock);
        poller.drainQueue(handler(true), 10);
        assertEquals(0, poller.deliveries);
        assertFalse(account.calls.calls().contains("sqs:SendMessage"));
        assertFalse(account.calls.calls().contains("ecs:TagResource"));
        assertEquals("ACTIVE", status(target));
    }

    @Test
    void theSampleInEvents_asAwsDocumentsIt_drainsItsInstanceInsideTheLead() throws IOException {
        JsonNode sample = TestAccount.JSON.readTree(Files.readString(SAMPLE));
        assertEquals(TestAccount.REGION, sample.get("region").asText());
        account.seed.cluster("demo");
        SeededInstance named = account.seed.instance("batch", "a", true, "i-1234567890abcdef0");
        clock = new MovableClock(SAMPLE_START.minus(Duration.ofMinutes(30)));

        JsonNode result = TestAccount.invoke(handler(), Files.readString(SAMPLE));

        assertEquals("AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", result.path("eventTypeCode").asText());
        assertEquals(SAMPLE_START.toString(), result.path("startTime").asText());
        assertEquals("DRAIN", result.path("instances").get(0).path("decision").asText());
        assertEquals("DRAINING", status(named));
    }
}
