package dev.deckhand.local.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.emulator.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@code deckhand failures} against the emulator's SQS (moto), with the two kinds of record AWS
 * writes to Deckhand's failure queues:
 * <ul>
 * <li>Lambda's destination record for an asynchronous invocation whose retries ran out, as shown in
 *     "Capturing records of Lambda asynchronous invocations"
 *     (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 *     {@code lambda-destination-record-aws-example.json} is that page's example as is (its
 *     requestPayload, ORDER_IDS, is no EventBridge event), {@code lambda-destination-record-spot-warning.json}
 *     the same record around a Deckhand event (events/spot-interruption-warning.json) with an SDK error;</li>
 * <li>EventBridge's dead-letter message: the event as the body, and the custom attributes RULE_ARN,
 *     TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, as
 *     listed in "Using dead-letter queues to process undelivered events in EventBridge"
 *     (https://docs.aws.amazon.com/eventbridge/latest/userguide/rule-dlq.html).</li>
 * </ul>
 * Re-delivery goes to a recording {@link Redelivery} (moto's Lambda Invoke needs Docker to run a
 * function), except in {@link #redrive_lambdaRefusal_leavesTheMessage}, which goes through the real
 * {@link LambdaRedelivery} to the emulator's Lambda API.
 */
@Tag("emulator")
class FailuresCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "us-east-2";
    private static final String DRAIN_ARN = "arn:aws:lambda:us-east-2:123456789012:function:deckhand-DrainInstanceFunction-AbC123";
    private static final String TICKET_ARN = "arn:aws:lambda:us-east-2:123456789012:function:deckhand-OpenTicketFunction-XyZ789";
    private static final String SPOT_EVENT_ID = "12345678-1234-1234-1234-123456789012";
    private static final String DEPLOY_EVENT_ID = "ddca6449-b258-46c0-8653-e0e3a6d0468b";

    private static SqsClient sqs;

    @BeforeAll
    static void emulator() {
        sqs = LocalAws.shared().client(SqsClient.builder(), REGION);
    }

    @AfterAll
    static void close() {
        sqs.close();
    }

    /** What one run printed and answered. */
    private record Run(int exit, String out, String notes) {
    }

    /** Records each re-delivery and answers as told. */
    private static final class RecordingRedelivery implements Redelivery {
        final List<Map.Entry<String, JsonNode>> calls = new ArrayList<>();
        final Set<String> refuse;

        RecordingRedelivery(Set<String> refuse) {
            this.refuse = refuse;
        }

        @Override
        public Result deliver(String functionArn, byte[] event) {
            try {
                calls.add(Map.entry(functionArn, JSON.readTree(event)));
            } catch (IOException e) {
                throw new AssertionError("re-delivered bytes are not JSON", e);
            }
            return refuse.contains(functionArn) ? new Result(false, "TooManyRequestsException: Rate Exceeded") : new Result(true, "accepted (202)");
        }
    }

    @Test
    void list_showsBothRecordKinds_withoutTheWholeEvent_andLeavesTheQueues() throws IOException {
        String functionQueue = queue("DrainInstanceFailureQueue");
        String deadLetters = queue("EventDeadLetterQueue");
        sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", TICKET_ARN);

        Run run = run(new RecordingRedelivery(Set.of()), "list", "--queue", functionQueue, "--queue", deadLetters);

        assertEquals(0, run.exit(), run.out());
        assertTrue(run.notes().startsWith("deckhand: account 123456789012 ("), run.notes());
        assertTrue(run.notes().contains("region us-east-2: list reads the queues and changes nothing"), run.notes());
        // The function record: function, why (condition, count, error), when, the event's identity.
        assertTrue(run.out().contains("to       " + DRAIN_ARN + ":$LATEST"), run.out());
        assertTrue(run.out().contains("why      RetriesExhausted after 3 invocations: software.amazon.awssdk.services.ecs.model.EcsException Rate exceeded"), run.out());
        assertTrue(run.out().contains("when     2026-11-22T10:03:12.402Z"), run.out());
        assertTrue(run.out().contains("event    aws.ec2 / EC2 Spot Instance Interruption Warning / id " + SPOT_EVENT_ID), run.out());
        // The rule's dead letter: target, EventBridge's error code and message, the retry condition and the rule.
        assertTrue(run.out().contains("to       " + TICKET_ARN), run.out());
        assertTrue(run.out().contains("why      SDK_CLIENT_ERROR Failed to invoke the Lambda function (MaximumEventAgeExceeded after 3 retries) rule deckhand-OpenTicketDeployFailed"), run.out());
        assertTrue(run.out().contains("event    aws.ecs / ECS Deployment State Change / id " + DEPLOY_EVENT_ID), run.out());
        assertTrue(run.out().contains("when     20"), run.out());
        // Never the whole event.
        assertFalse(run.out().contains("i-1234567890abcdef0") || run.out().contains("circuit breaker") || run.out().contains("report-builder"), run.out());
        assertEquals(1, visible(functionQueue).size());
        assertEquals(1, visible(deadLetters).size());
    }

    @Test
    void redrive_dryRun_reDeliversNothing_andLeavesTheMessage() throws IOException {
        String functionQueue = queue("DrainInstanceFailureQueue");
        sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--queue", functionQueue);

        assertEquals(0, run.exit(), run.out());
        assertTrue(run.notes().contains("dry run: prints what it would re-deliver; --apply does it"), run.notes());
        assertTrue(run.out().contains("would re-deliver event " + SPOT_EVENT_ID + " to " + DRAIN_ARN + " (asynchronous invoke)"), run.out());
        assertTrue(lambda.calls.isEmpty());
        assertEquals(1, visible(functionQueue).size());
    }

    @Test
    void redrive_apply_reDeliversTheOriginalEvents_andDeletesOnlyThose() throws IOException {
        String functionQueue = queue("DrainInstanceFailureQueue");
        String deadLetters = queue("EventDeadLetterQueue");
        String spotMessage = sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        String docExample = sendDestinationRecord(functionQueue, "lambda-destination-record-aws-example.json");
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", TICKET_ARN);
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--apply", "--queue", functionQueue, "--queue", deadLetters);

        assertEquals(0, run.exit(), run.out());
        Map<String, JsonNode> delivered = lambda.calls.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Set.of(DRAIN_ARN, TICKET_ARN), delivered.keySet());
        assertEquals(fixture("lambda-destination-record-spot-warning.json").path("requestPayload"), delivered.get(DRAIN_ARN));
        assertEquals(fixture("rule-dead-letter-body.json"), delivered.get(TICKET_ARN));
        // AWS's own example carries no EventBridge event: shown, skipped, kept.
        assertTrue(run.out().contains("redrive  skipped: its payload is not an EventBridge event"), run.out());
        assertFalse(run.out().contains("ORDER_IDS") || run.out().contains("9e07af03"), run.out());
        assertEquals(List.of(docExample), visible(functionQueue).stream().map(Message::messageId).toList());
        assertFalse(visible(functionQueue).stream().anyMatch(m -> m.messageId().equals(spotMessage)));
        assertTrue(visible(deadLetters).isEmpty());
    }

    @Test
    void redrive_byEventId_reDeliversOnlyThatOne() throws IOException {
        String functionQueue = queue("DrainInstanceFailureQueue");
        String deadLetters = queue("EventDeadLetterQueue");
        sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", TICKET_ARN);
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--id", DEPLOY_EVENT_ID, "--apply", "--queue", functionQueue, "--queue", deadLetters);

        assertEquals(0, run.exit(), run.out());
        assertEquals(List.of(TICKET_ARN), lambda.calls.stream().map(Map.Entry::getKey).toList());
        assertEquals(1, visible(functionQueue).size());
        assertTrue(visible(deadLetters).isEmpty());
    }

    @Test
    void redrive_unknownId_isSaid() {
        String functionQueue = queue("DrainInstanceFailureQueue");

        Run run = run(new RecordingRedelivery(Set.of()), "redrive", "--id", "no-such-id", "--queue", functionQueue);

        assertEquals(1, run.exit());
        assertTrue(run.out().contains("not found in the queues: no-such-id"), run.out());
    }

    @Test
    void redrive_refusedReDelivery_leavesThatMessage_andFails() throws IOException {
        String functionQueue = queue("DrainInstanceFailureQueue");
        String deadLetters = queue("EventDeadLetterQueue");
        sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", TICKET_ARN);
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of(DRAIN_ARN));

        Run run = run(lambda, "redrive", "--all", "--apply", "--queue", functionQueue, "--queue", deadLetters);

        assertEquals(1, run.exit(), run.out());
        assertEquals(2, lambda.calls.size());
        assertTrue(run.out().contains("NOT re-delivered: TooManyRequestsException: Rate Exceeded; left in the queue"), run.out());
        assertEquals(1, visible(functionQueue).size());
        assertTrue(visible(deadLetters).isEmpty());
    }

    @Test
    void redrive_lambdaRefusal_leavesTheMessage() throws IOException {
        // Through the real LambdaRedelivery: the emulator has no such function, so Invoke answers 404.
        String functionQueue = queue("DrainInstanceFailureQueue");
        sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");

        Run run = run(null, "redrive", "--all", "--apply", "--queue", functionQueue);

        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("NOT re-delivered: "), run.out());
        assertEquals(1, visible(functionQueue).size());
    }

    @Test
    void stack_findsItsQueuesAndFunctionsInItsOutputs() {
        Map<String, String> outputs = newStack();
        String stack = outputs.get("stack");
        String functionQueue = outputs.get("DrainInstanceFailureQueueUrl");
        String deadLetters = outputs.get("EventDeadLetterQueueUrl");
        String spot;
        try {
            spot = sendDestinationRecord(functionQueue, "lambda-destination-record-spot-warning.json");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        // open-ticket is no function of this stack: its dead letter stays.
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", TICKET_ARN);
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--apply", "--stack", stack);

        assertTrue(run.out().contains("DrainInstanceFailureQueue (" + functionQueue + "): 1 message"), run.out());
        assertTrue(run.out().contains("EventDeadLetterQueue (" + deadLetters + "): 1 message"), run.out());
        assertTrue(run.out().contains("skipped: function deckhand-OpenTicketFunction-XyZ789 is not one of the stack's functions"), run.out());
        assertEquals(List.of(DRAIN_ARN), lambda.calls.stream().map(Map.Entry::getKey).toList());
        assertFalse(visible(functionQueue).stream().anyMatch(m -> m.messageId().equals(spot)));
        assertEquals(1, visible(deadLetters).size());
    }

    /**
     * drain-instance's recheck queue moves a message to the function's failure queue after its last
     * receive (its redrive policy): the message is drain-instance's own, and goes back to the recheck
     * queue, which only the stack names.
     */
    @Test
    void recheckMessages_goBackToTheRecheckQueue_whichTheStackNames() {
        Map<String, String> outputs = newStack();
        String stack = outputs.get("stack");
        String functionQueue = outputs.get("DrainInstanceFailureQueueUrl");
        String recheckQueue = outputs.get("DrainRecheckQueueUrl");
        String hop = "{\"version\":1,\"eventId\":\"7bf73129-1428-4cd3-a780-95db273d1602\",\"instanceId\":\"i-1234567890abcdef0\","
                + "\"eventTypeCode\":\"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED\",\"startAt\":\"2026-08-27T13:19:03Z\","
                + "\"drainAt\":\"2026-08-27T12:19:03Z\",\"hops\":3}";
        sqs.sendMessage(r -> r.queueUrl(functionQueue).messageBody(hop));
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run byQueue = run(lambda, "redrive", "--all", "--apply", "--queue", functionQueue);
        Run dryRun = run(lambda, "redrive", "--id", "7bf73129-1428-4cd3-a780-95db273d1602", "--stack", stack);
        Run apply = run(lambda, "redrive", "--all", "--apply", "--stack", stack);

        assertEquals(0, byQueue.exit(), byQueue.out());
        assertTrue(byQueue.out().contains("[drain-instance's own check, given up]"), byQueue.out());
        assertTrue(byQueue.out().contains("why      drain-instance's recheck queue gave up on this ScheduledDrain after its last receive"),
                byQueue.out());
        assertTrue(byQueue.out().contains("redrive  skipped: a recheck message goes back to drain-instance's recheck queue, which only --stack names"),
                byQueue.out());
        assertTrue(dryRun.out().contains("would put it back on " + recheckQueue), dryRun.out());
        assertEquals(0, apply.exit(), apply.out());
        assertTrue(apply.out().contains("put back on " + recheckQueue + "; message deleted"), apply.out());
        assertTrue(lambda.calls.isEmpty());
        assertTrue(visible(functionQueue).isEmpty());
        assertEquals(List.of(hop), visible(recheckQueue).stream().map(Message::body).toList());
    }

    /** A stack with template.yaml's output names (CloudFormation DescribeStacks, in the emulator): its outputs, and its name as "stack". */
    private static Map<String, String> newStack() {
        String stack = "deckhand-" + UUID.randomUUID().toString().substring(0, 8);
        String template = """
                {"Resources": {
                   "DrainInstanceFailureQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%1$s-drain-failures"}},
                   "DrainRecheckQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%1$s-drain-recheck"}},
                   "EventDeadLetterQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%1$s-event-dlq"}}},
                 "Outputs": {
                   "DrainInstanceFunction": {"Value": "deckhand-DrainInstanceFunction-AbC123"},
                   "DrainInstanceFailureQueueUrl": {"Value": {"Ref": "DrainInstanceFailureQueue"}},
                   "DrainRecheckQueueUrl": {"Value": {"Ref": "DrainRecheckQueue"}},
                   "EventDeadLetterQueueUrl": {"Value": {"Ref": "EventDeadLetterQueue"}}}}""".formatted(stack);
        Map<String, String> outputs = new HashMap<>(Map.of("stack", stack));
        try (CloudFormationClient cloudFormation = LocalAws.shared().client(CloudFormationClient.builder(), REGION)) {
            cloudFormation.createStack(r -> r.stackName(stack).templateBody(template));
            cloudFormation.describeStacks(r -> r.stackName(stack)).stacks().get(0).outputs()
                    .forEach(output -> outputs.put(output.outputKey(), output.outputValue()));
        }
        return outputs;
    }

    @Test
    void malformedMessages_areReported_notDeleted() {
        String functionQueue = queue("DrainInstanceFailureQueue");
        sqs.sendMessage(r -> r.queueUrl(functionQueue).messageBody("{\"requestContext\": {\"functionArn\": "));
        sqs.sendMessage(r -> r.queueUrl(functionQueue).messageBody("{\"requestContext\": {\"condition\": \"RetriesExhausted\"},"
                + " \"requestPayload\": {\"source\": \"aws.ec2\", \"detail-type\": \"EC2 Spot Instance Interruption Warning\", \"id\": \"e-1\"}}"));
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run list = run(lambda, "list", "--queue", functionQueue);
        Run redrive = run(lambda, "redrive", "--all", "--apply", "--queue", functionQueue);

        assertEquals(0, list.exit(), list.out());
        assertTrue(list.out().contains("problem  the body is not JSON"), list.out());
        assertTrue(list.out().contains("problem  it names no Lambda function ARN"), list.out());
        assertEquals(1, redrive.exit(), redrive.out());
        assertTrue(redrive.out().contains("redrive  skipped: the body is not JSON; left in the queue"), redrive.out());
        assertTrue(lambda.calls.isEmpty());
        assertEquals(2, visible(functionQueue).size());
    }

    @Test
    void redrive_keepsTheEventsNumbersAsWritten() {
        String functionQueue = queue("OpenTicketFailureQueue");
        sqs.sendMessage(r -> r.queueUrl(functionQueue).messageBody("{\"version\": \"1.0\", \"timestamp\": \"2026-11-22T10:03:12.402Z\","
                + " \"requestContext\": {\"functionArn\": \"" + TICKET_ARN + "\", \"condition\": \"EventAgeExceeded\", \"approximateInvokeCount\": 1},"
                + " \"requestPayload\": {\"id\": \"e-2\", \"source\": \"aws.inspector2\", \"detail-type\": \"Inspector2 Finding\","
                + " \"detail\": {\"inspectorScore\": 7.50, \"epss\": 0.000123456789012345678}}}"));
        List<byte[]> sent = new ArrayList<>();

        Run run = run((arn, event) -> {
            sent.add(event);
            return new Redelivery.Result(true, "accepted (202)");
        }, "redrive", "--id", "e-2", "--apply", "--queue", functionQueue);

        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("why      EventAgeExceeded after 1 invocations:"), run.out());
        String event = new String(sent.get(0), StandardCharsets.UTF_8);
        assertTrue(event.contains("\"inspectorScore\":7.50") && event.contains("\"epss\":0.000123456789012345678"), event);
    }

    @Test
    void aMessageOfAnotherKind_isShownAndKept() {
        // A JSON object of none of the kinds: no event, and no recheck message drain-instance would read.
        String functionQueue = queue("DrainInstanceFailureQueue");
        sqs.sendMessage(r -> r.queueUrl(functionQueue).messageBody("{\"hook\": \"deckhand-drain\", \"attempt\": 5}"));
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--apply", "--queue", functionQueue);

        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("skipped: neither a Lambda destination record, an EventBridge dead-letter message nor a "
                + "drain-instance recheck message"), run.out());
        assertTrue(lambda.calls.isEmpty());
        assertEquals(1, visible(functionQueue).size());
    }

    @Test
    void aReconcileTick_isNotReDelivered() {
        // template.yaml's reconcile rule delivers a constant Input; EventBridge dead-letters it as the body.
        String deadLetters = queue("EventDeadLetterQueue");
        sqs.sendMessage(r -> r.queueUrl(deadLetters).messageBody("{\"deckhand\":\"reconcile\"}").messageAttributes(Map.of(
                "RULE_ARN", text("arn:aws:events:us-east-2:123456789012:rule/deckhand-RotateAmiReconcile"),
                "TARGET_ARN", text("arn:aws:lambda:us-east-2:123456789012:function:deckhand-RotateAmiFunction-Q1"),
                "ERROR_CODE", text("SDK_CLIENT_ERROR"))));
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--apply", "--queue", deadLetters);

        assertTrue(run.out().contains("skipped: a schedule's constant input (deckhand: reconcile), not an event"), run.out());
        assertTrue(lambda.calls.isEmpty());
        assertEquals(1, visible(deadLetters).size());
    }

    @Test
    void aFunctionOfAnotherAccount_isNotReDelivered() {
        String deadLetters = queue("EventDeadLetterQueue");
        sendDeadLetter(deadLetters, "rule-dead-letter-body.json", "arn:aws:lambda:us-east-2:210987654321:function:someone-else");
        RecordingRedelivery lambda = new RecordingRedelivery(Set.of());

        Run run = run(lambda, "redrive", "--all", "--apply", "--queue", deadLetters);

        assertTrue(run.out().contains("skipped: function someone-else is not one of the stack's functions"), run.out());
        assertTrue(lambda.calls.isEmpty());
        assertEquals(1, visible(deadLetters).size());
    }

    @Test
    void why_hidesUrls_aWebhooksPathIsItsCredential() {
        String why = ParkedEvent.shorten("IOException: POST https://hooks.slack.com/services/T000/B000/XXXXSECRET failed\nwith 500");

        assertEquals("IOException: POST <url> failed with 500", why);
    }

    @Test
    void options_redriveNeedsAChoice_andListChangesNothing() {
        assertThrows(IllegalArgumentException.class, () -> FailuresOptions.parse(List.of("redrive", "--endpoint", "aws", "--stack", "s")));
        assertThrows(IllegalArgumentException.class, () -> FailuresOptions.parse(List.of("list", "--endpoint", "aws", "--stack", "s", "--apply")));
        assertThrows(IllegalArgumentException.class, () -> FailuresOptions.parse(List.of("list", "--stack", "s")));
        assertThrows(IllegalArgumentException.class, () -> FailuresOptions.parse(List.of("list", "--endpoint", "aws")));
        FailuresOptions options = FailuresOptions.parse(List.of("redrive", "--endpoint", "aws", "--stack", "deckhand", "--id", "a", "--id", "b"));
        assertFalse(options.apply());
        assertEquals(List.of("a", "b"), options.ids());
    }

    private Run run(Redelivery redelivery, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", LocalAws.shared().endpoint().toString(), "--region", REGION));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        int exit = new FailuresCommand(redelivery).run(FailuresOptions.parse(all),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(notes, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), notes.toString(StandardCharsets.UTF_8));
    }

    private static String queue(String name) {
        String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return sqs.createQueue(r -> r.queueName(unique)).queueUrl();
    }

    private static String sendDestinationRecord(String queue, String fixture) throws IOException {
        String body = JSON.writeValueAsString(fixture(fixture));
        return sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body)).messageId();
    }

    /** As EventBridge writes it (rule-dlq.html): the event as the body, the failure in attributes. */
    private static void sendDeadLetter(String queue, String fixture, String targetArn) {
        String body;
        try (InputStream in = FailuresCommandTest.class.getResourceAsStream("/failures/" + fixture)) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageAttributes(Map.of(
                "RULE_ARN", text("arn:aws:events:us-east-2:123456789012:rule/deckhand-OpenTicketDeployFailed"),
                "TARGET_ARN", text(targetArn),
                "ERROR_CODE", text("SDK_CLIENT_ERROR"),
                "ERROR_MESSAGE", text("Failed to invoke the Lambda function"),
                "EXHAUSTED_RETRY_CONDITION", text("MaximumEventAgeExceeded"),
                "RETRY_ATTEMPTS", text("3"))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = FailuresCommandTest.class.getResourceAsStream("/failures/" + name)) {
            return JSON.readTree(in);
        }
    }

    /** Every message visible now (a listing or a dry run must have released what it read). */
    private static List<Message> visible(String queue) {
        List<Message> seen = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(0)).messages();
            batch.stream().filter(m -> seen.stream().noneMatch(s -> s.messageId().equals(m.messageId()))).forEach(seen::add);
        }
        return seen;
    }
}
