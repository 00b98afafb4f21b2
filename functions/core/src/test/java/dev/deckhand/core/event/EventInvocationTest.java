package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.emulator.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;

@Tag("emulator")
class EventInvocationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AwsCallCounter calls = new AwsCallCounter();

    private record Nothing(String eventId, Enum<?> trigger, Enum<?> decision, String reason, boolean dryRun) implements DeckhandResult {
    }

    private static final DeckhandResult NOTHING = new Nothing("e-1", null, null, "nothing to do", false);

    @Test
    void run_splitsTheHandlersTimeIntoAwsCallsAndItsOwn() throws IOException {
        LocalAws.shared().reset();
        EcsClient ecs = LocalAws.shared().client(EcsClient.builder(), "us-east-2", calls);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.run("req-1", calls, LoggerFactory.getLogger(EventInvocationTest.class), "test", JSON, output, () -> {
            ecs.listClusters();
            busyFor(20);
            ecs.listClusters();
            return NOTHING;
        });

        JsonNode timing = JSON.readTree(output.toByteArray()).path("timing");
        double handler = timing.path("handlerMs").asDouble();
        double inCalls = timing.path("inAwsCallsMs").asDouble();
        double waiting = timing.path("waitingOnAwsMs").asDouble();
        assertTrue(inCalls > 0 && waiting > 0 && waiting <= inCalls && inCalls <= handler, timing.toString());
        assertEquals(inCalls - waiting, timing.path("sdkMs").asDouble(), 0.02, timing.toString());
        assertEquals(handler - inCalls, timing.path("ownMs").asDouble(), 0.02, timing.toString());
        assertTrue(timing.path("ownMs").asDouble() >= 20, "the 20 ms of work between the calls is the handler's own: " + timing);
    }

    @Test
    void run_callsWithoutAnSdkClient_countAsWaiting() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        EventInvocation.run("req-2", calls, LoggerFactory.getLogger(EventInvocationTest.class), "test", JSON, output, () -> {
            calls.record("ssm:SendCommand");
            long sent = System.nanoTime();
            busyFor(5);
            calls.waited(System.nanoTime() - sent);
            return NOTHING;
        });

        JsonNode timing = JSON.readTree(output.toByteArray()).path("timing");
        assertTrue(timing.path("waitingOnAwsMs").asDouble() >= 5, timing.toString());
        assertEquals(timing.path("waitingOnAwsMs").asDouble(), timing.path("inAwsCallsMs").asDouble(), 0.001);
        assertEquals(0.0, timing.path("sdkMs").asDouble(), 0.001);
    }

    private static void busyFor(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
