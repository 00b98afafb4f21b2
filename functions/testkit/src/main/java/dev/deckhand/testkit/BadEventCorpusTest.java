package dev.deckhand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.event.BadEventException;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A function's bad events as tests (see {@link BadEvents}): every case of its own corpus and of the
 * shared envelope corpus is refused with a clear error before any AWS call, and every detail-type
 * the function is routed has refused cases of its own, not only the envelope's. A function's test
 * extends it with its handler, built on {@link NoAws} clients, the types template.yaml routes to it
 * and one route the envelope cases are made of; no emulator, so it runs in the fast tier.
 *
 * <pre>{@code
 * class BadEventsTest extends BadEventCorpusTest {
 *     protected RequestStreamHandler handler() { return new RebalanceTasksHandler(config, NoAws.client(EcsClient.builder()), ...); }
 *     protected Set<String> routedDetailTypes() { return Set.of(EventTypes.SCHEDULED_EVENT, ...); }
 *     protected Route envelopeRoute() { return new Route(EventTypes.SOURCE_ECS, EventTypes.ECS_DEPLOYMENT_STATE_CHANGE); }
 * }
 * }</pre>
 */
public abstract class BadEventCorpusTest {

    /** A source / detail-type pair the function routes. */
    public record Route(String source, String detailType) {
    }

    /** The function's handler, every client a {@link NoAws} one (or a stub that answers only what construction reads). */
    protected abstract RequestStreamHandler handler();

    /** The detail-types template.yaml's rules deliver to the function. */
    protected abstract Set<String> routedDetailTypes();

    /**
     * The route the envelope cases change one field of: one whose event with an empty detail the
     * function refuses for its detail (so no AWS call), which {@link #theEnvelopeRoute_isRouted} checks.
     */
    protected abstract Route envelopeRoute();

    static Stream<BadEvents.Case> badEvents() throws IOException {
        return BadEvents.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvent_isRefusedWithAClearError_beforeAnyCall(BadEvents.Case bad) {
        bad.assertRefusedBy(handler());
    }

    @TestFactory
    Stream<DynamicTest> badEnvelope_isRefusedWithTheSameError_asInEveryFunction() {
        Route route = envelopeRoute();
        return BadEvents.envelopeCases(route.source(), route.detailType())
                .map(bad -> dynamicTest(bad.name(), () -> bad.assertRefusedBy(handler())));
    }

    /** The envelope cases' valid event reaches its route: else a "does not handle" case would pass for a route the function never had. */
    @Test
    void theEnvelopeRoute_isRouted() throws IOException {
        Route route = envelopeRoute();
        assertTrue(routedDetailTypes().contains(route.detailType()), () -> route + " is not among routedDetailTypes()");
        try {
            Handlers.invoke(handler(), Envelopes.event(route.source(), route.detailType()).json());
        } catch (BadEventException refused) {
            // Past the envelope, the route refuses the empty detail, naming a field of it.
            assertTrue(refused.getMessage().contains("detail") && !refused.getMessage().contains("does not handle"),
                    () -> route + ": refused before its route: " + refused.getMessage());
        }
    }

    @Test
    void theCorpus_refusesSomeEventOfEveryRoutedDetailType() throws IOException {
        Set<String> missing = new TreeSet<>(routedDetailTypes());
        missing.removeAll(BadEvents.detailTypes());
        assertEquals(Set.of(), missing, "routed detail-types with no refused case in bad-events/");
    }
}
