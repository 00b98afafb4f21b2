package dev.deckhand.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.local.lambda.Invocation;
import dev.deckhand.local.replay.ReplayCommand;
import dev.deckhand.local.replay.ReplayOptions;
import dev.deckhand.local.replay.SampleParameters;
import dev.deckhand.local.scheduler.SchedulerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample replayed through the fault proxy (throttling, 5xx, dropped connections, answers
 * lost after AWS acted): each event ends done or in its failure queue, a drain is called once and
 * reported once however many attempts it took, and a lifecycle hook is always completed.
 */
@Tag("emulator")
class FaultInjectionTest {

    private static final Path HOME = DeckhandHome.find();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAULTS = "throttle=0.05,error=0.1,drop=0.05,lost=0.1";

    @BeforeAll
    static void newTable() throws IOException {
        Files.deleteIfExists(Path.of("target", "fault-injection.md"));
    }

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("events"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample_underFaults_endsDoneOrInTheFailureQueue_andNothingTwice(Path sample) throws IOException {
        ReplayCommand.Outcome outcome = null;
        // A sample whose function makes one or two calls can draw no fault from seed 3: it is replayed once more with a
        // seed whose first draw faults the first call. A sample whose function reached AWS not at all has nothing to fault.
        for (int k = 0; k < 2 && (outcome == null || injected(outcome) == 0 && !outcome.callsReachingAws().isEmpty()); k++) {
            long seed = k == 0 ? 3 : faultingFirstCall(3 + 1_000_003L);
            List<String> args = new ArrayList<>(List.of(sample.toString(), "--faults", FAULTS, "--fault-seed", Long.toString(seed)));
            args.addAll(SampleParameters.of(sample));
            outcome = new ReplayCommand(HOME).replay(ReplayOptions.parse(args));
        }

        String name = sample.getFileName().toString();
        // A sample whose function calls no AWS API (a chat line with no webhook configured) has nothing to fault.
        assertTrue(injected(outcome) > 0 || outcome.callsReachingAws().isEmpty(),
                name + ": no fault was injected");
        List<Invocation> attempts = outcome.attempts().values().iterator().next();
        boolean done = !attempts.get(attempts.size() - 1).error();
        assertTrue(done || !outcome.failureQueueRecords().isEmpty(), name + ": neither done nor in a failure queue");
        // A drain AWS acted on but whose answer was lost is sent again by the SDK's own retry: the same
        // DRAINING, which ECS takes on a DRAINING instance (only REGISTERING, DEREGISTERING and
        // REGISTRATION_FAILED instances can't be updated: ECS API Reference, UpdateContainerInstancesState,
        // `status`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerInstancesState.html).
        // Those re-sends are not a second drain.
        int drains = outcome.callsReachingAws().getOrDefault("ecs:UpdateContainerInstancesState", 0)
                - outcome.answersLost().getOrDefault("ecs:UpdateContainerInstancesState", 0);
        assertTrue(drains <= 1, name + ": drained " + drains + " times");
        long notifications = notificationLines(outcome);
        if (drains == 1) {
            assertEquals(1, notifications, name + ": a drain is reported exactly once");
        }
        if (name.startsWith("lifecycle-")) {
            assertTrue(outcome.timeline().stream().anyMatch(step -> step.kind() == SchedulerEvent.Kind.HOOK_COMPLETED),
                    name + ": the lifecycle hook was left to its timeout");
        }
        report(name, outcome, attempts.size(), done, drains, notifications);
    }

    private static int injected(ReplayCommand.Outcome outcome) {
        return outcome.faultsInjected().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The first seed from {@code from} whose first draw (the proxy's, for the first call) falls within FAULTS' rates. */
    private static long faultingFirstCall(long from) {
        FaultRates rates = FaultRates.parse(FAULTS);
        double rate = rates.throttle() + rates.error() + rates.slow() + rates.drop() + rates.lost();
        long seed = from;
        while (new Random(seed).nextDouble() >= rate) {
            seed++;
        }
        return seed;
    }

    /** One row per sample in target/fault-injection.md: the figures the closing note reports. */
    private static synchronized void report(String sample, ReplayCommand.Outcome outcome, int attempts, boolean done, int drains,
                                            long notifications) throws IOException {
        Path table = Path.of("target", "fault-injection.md");
        if (!Files.exists(table)) {
            Files.writeString(table, "| sample | faults injected | attempts | outcome | drain calls | notification lines | rechecks |\n"
                    + "|---|---|---|---|---|---|---|\n");
        }
        Files.writeString(table, String.format("| %s | %s | %d | %s | %d | %d | %d |%n", sample, outcome.faultsInjected(), attempts,
                done ? "done" : "failure queue: " + outcome.failureQueueRecords().keySet(), drains, notifications,
                outcome.rechecks().size()), StandardOpenOption.APPEND);
    }

    private static long notificationLines(ReplayCommand.Outcome outcome) throws IOException {
        List<String> lines = new ArrayList<>();
        outcome.attempts().values().forEach(list -> list.forEach(invocation -> lines.addAll(invocation.logLines())));
        outcome.rechecks().forEach(recheck -> lines.addAll(recheck.invocation().logLines()));
        long count = 0;
        for (String line : lines) {
            if (line.startsWith("{") && JSON.readTree(line).path("notification").asBoolean(false)) {
                count++;
            }
        }
        return count;
    }
}
