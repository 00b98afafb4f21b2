package dev.deckhand.drain.planner;

import java.time.Duration;

/**
 * What one check of a lifecycle-hook wait decided: complete the hook now with {@code result}, or
 * check again after {@code delay}, sending a heartbeat first when the hook would otherwise time out.
 */
public record HookStep(boolean complete, String result, Duration delay, boolean heartbeat, String reason) {

    static HookStep complete(String result, String reason) {
        return new HookStep(true, result, null, false, reason);
    }

    static HookStep waitFor(Duration delay, boolean heartbeat, String reason) {
        return new HookStep(false, null, delay, heartbeat, reason);
    }
}
