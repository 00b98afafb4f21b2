package dev.deckhand.local.replay;

import java.nio.file.Path;
import java.util.List;

/** The template parameters a sample needs to be routed: a schedule rule fires only when its schedule is on. */
public final class SampleParameters {

    private SampleParameters() {
    }

    public static List<String> of(Path sample) {
        String name = sample.getFileName().toString();
        if (name.equals("scheduled-rebalance-sweep.json")) {
            return List.of("--parameter", "RebalanceSweepSchedule=rate(1 hour)");
        }
        return List.of();
    }
}
