package dev.deckhand.core.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Primes a function before Lambda takes its SnapStart snapshot: the work given here (parse a
 * sample event, decide, make one harmless read) runs in {@code beforeCheckpoint}, so the classes
 * and code paths of a real invocation are loaded and in the snapshot, and the first invocation
 * after a restore does not pay for them. Without SnapStart the hook never runs and costs nothing,
 * unless the JVM runs with {@code -Ddeckhand.primeAtInit=true} (through {@code JAVA_TOOL_OPTIONS}):
 * then the same work runs at once, in the init phase (the "eager init" row of {@code deckhand bench}).
 *
 * <pre>{@code
 * SnapStartPriming.register("drain-instance", parser, SAMPLE_SPOT_WARNING, SpotInterruptionWarning.class,
 *         () -> ecs.listClusters(r -> r.maxResults(1)));
 * }</pre>
 */
public final class SnapStartPriming implements Resource {

    private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);
    private static final String PRIME_AT_INIT = "deckhand.primeAtInit";
    /** CRaC contexts may hold resources weakly: these must live as long as the container. */
    private static final List<SnapStartPriming> REGISTERED = new ArrayList<>();

    private final String function;
    private final Runnable prime;

    private SnapStartPriming(String function, Runnable prime) {
        this.function = function;
        this.prime = prime;
    }

    /**
     * Registers the priming of a function: parse {@code sampleEvent} and bind its detail as an
     * invocation would, write it back as JSON, then {@code read} (one harmless AWS read that loads
     * the client's marshalling, signing and HTTP code). Call from the Lambda constructor only.
     */
    public static synchronized void register(String function, EventParser parser, String sampleEvent, Class<?> detail,
                                             Runnable read) {
        byte[] bytes = sampleEvent.getBytes(StandardCharsets.UTF_8);
        SnapStartPriming priming = new SnapStartPriming(function, () -> {
            EventEnvelope event = parser.parse(bytes);
            try {
                parser.mapper().writeValueAsBytes(parser.detail(event, detail));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            read.run();
        });
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        if (Boolean.getBoolean(PRIME_AT_INIT)) {
            priming.prime("at init");
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime("before the SnapStart snapshot");
    }

    private void prime(String when) {
        long started = System.nanoTime();
        try {
            prime.run();
            log.atInfo().addKeyValue("function", function).addKeyValue("primingMs", (System.nanoTime() - started) / 1_000_000)
                    .log("primed {} {}", function, when);
        } catch (RuntimeException e) {
            // Priming only warms the JVM: a failure here (AWS unreachable while the version is
            // published) must not fail the deployment or the init; the first invocation then loads what it needs.
            log.atWarn().addKeyValue("function", function).log("priming {} {} failed, going on unprimed: {}", function, when, e.toString());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: clients read credentials and time per call.
    }
}
