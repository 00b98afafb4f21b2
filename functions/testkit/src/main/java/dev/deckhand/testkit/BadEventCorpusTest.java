package dev.deckhand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A function's bad-event corpus as tests (see {@link BadEvents}): every file is refused with a clear
 * error before any AWS call, and every detail-type the function is routed has refused cases, not
 * only the common ones. A function's test extends it with its handler, built on {@link NoAws}
 * clients, and the types template.yaml routes to it; no emulator, so it runs in the fast tier.
 *
 * <pre>{@code
 * class BadEventsTest extends BadEventCorpusTest {
 *     protected RequestStreamHandler handler() { return new RebalanceTasksHandler(config, NoAws.client(EcsClient.builder()), ...); }
 *     protected Set<String> routedDetailTypes() { return Set.of(EventTypes.SCHEDULED_EVENT, ...); }
 * }
 * }</pre>
 */
public abstract class BadEventCorpusTest {

    /** The function's handler, every client a {@link NoAws} one (or a stub that answers only what construction reads). */
    protected abstract RequestStreamHandler handler();

    /** The detail-types template.yaml's rules deliver to the function. */
    protected abstract Set<String> routedDetailTypes();

    static Stream<BadEvents.Case> badEvents() throws IOException {
        return BadEvents.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvent_isRefusedWithAClearError_beforeAnyCall(BadEvents.Case bad) {
        bad.assertRefusedBy(handler());
    }

    @Test
    void theCorpus_refusesSomeEventOfEveryRoutedDetailType() throws IOException {
        Set<String> missing = new TreeSet<>(routedDetailTypes());
        missing.removeAll(BadEvents.detailTypes());
        assertEquals(Set.of(), missing, "routed detail-types with no refused case in bad-events/");
    }
}
