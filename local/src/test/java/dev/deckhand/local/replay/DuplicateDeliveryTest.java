package dev.deckhand.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.scheduler.SchedulerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EventBridge delivers at least once: every sample delivered three times to the same account
 * leaves the state one delivery leaves. The second and third deliveries change nothing (no
 * mutating call in their own counts), a drain is called and reported once, a lifecycle hook is
 * completed once, and tasks are stopped only by the first delivery.
 */
@Tag("emulator")
class DuplicateDeliveryTest {

    private static final Path HOME = DeckhandHome.find();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** IAM-style verbs that change something in AWS. */
    private static final List<String> MUTATING = List.of("Update", "Stop", "Create", "Put", "Modify", "Terminate", "Tag", "Untag",
            "Complete", "Record", "Delete", "Register", "Deregister", "Set", "Start", "Run", "Cancel", "Send");
    /**
     * Messages, not changes: a repeated lifecycle event may re-arm its own check (the hook is still
     * completed once, asserted below), and a repeated rotate-ami run asks drain-instance again to
     * retire an instance it tagged that is still ACTIVE (drain-instance drains it once).
     */
    private static final Set<String> ALLOWED_ON_REPEAT = Set.of("sqs:SendMessage", "eventbridge:PutEvents");

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("events"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample_deliveredThreeTimes_changesWhatOneDeliveryChanges(Path sample) throws IOException {
        List<String> args = new ArrayList<>(List.of(sample.toString(), "--deliveries", "3"));
        args.addAll(SampleParameters.of(sample));

        ReplayCommand.Outcome outcome = new ReplayCommand(HOME).replay(ReplayOptions.parse(args));

        String name = sample.getFileName().toString();
        assertTrue(outcome.succeeded(), name + ": a delivery failed");
        assertEquals(0, outcome.failureQueueRecords().size(), name + ": something reached a failure queue");
        for (Map.Entry<String, List<Invocation>> delivery : outcome.attempts().entrySet()) {
            if (!delivery.getKey().contains("(delivery ")) {
                continue;
            }
            JsonNode calls = JSON.readTree(last(delivery.getValue()).body()).path("awsCalls");
            for (Iterator<String> operations = calls.fieldNames(); operations.hasNext(); ) {
                String operation = operations.next();
                String verb = operation.substring(operation.indexOf(':') + 1);
                assertFalse(MUTATING.stream().anyMatch(verb::startsWith) && !ALLOWED_ON_REPEAT.contains(operation),
                        name + ", " + delivery.getKey() + ": repeated delivery called " + operation);
            }
        }
        int drains = outcome.callsReachingAws().getOrDefault("ecs:UpdateContainerInstancesState", 0);
        assertTrue(drains <= 1, name + ": drained " + drains + " times");
        long hooksCompleted = outcome.timeline().stream().filter(step -> step.kind() == SchedulerEvent.Kind.HOOK_COMPLETED).count();
        if (name.startsWith("lifecycle-")) {
            assertEquals(1, hooksCompleted, name + ": hook completions");
        }
    }

    private static Invocation last(List<Invocation> tries) {
        return tries.get(tries.size() - 1);
    }
}
