package dev.deckhand.local.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The options a sample needs to be routed: a schedule rule fires only when its schedule is on, and
 * Deckhand's own requests ({@code source: deckhand}) travel on Deckhand's bus, whose rules take them.
 */
public final class SampleParameters {

    /** Deckhand's bus as the local template names it ({@code <stack>-deckhand}, stack {@code deckhand}). */
    public static final String DECKHAND_BUS = "deckhand-deckhand";

    private SampleParameters() {
    }

    public static List<String> of(Path sample) {
        String name = sample.getFileName().toString();
        if (name.equals("scheduled-rebalance-sweep.json")) {
            return List.of("--parameter", "RebalanceSweepSchedule=rate(1 hour)");
        }
        try {
            if ("deckhand".equals(new ObjectMapper().readTree(sample.toFile()).path("source").asText())) {
                return List.of("--bus", DECKHAND_BUS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of();
    }
}
