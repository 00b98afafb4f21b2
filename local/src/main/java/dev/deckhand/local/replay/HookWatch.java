package dev.deckhand.local.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.scheduler.AwsReactions;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import java.util.HashMap;
import java.util.Map;

/** Turns what the emulator recorded of lifecycle actions (heartbeats, completions) into timeline entries and AWS's reactions. */
final class HookWatch {

    private final LocalAws emulator;
    private final String region;
    private final Map<String, Integer> heartbeats = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();

    HookWatch(LocalAws emulator, String region) {
        this.emulator = emulator;
        this.region = region;
    }

    void observe(LocalScheduler scheduler) {
        for (JsonNode action : emulator.control("autoscaling/lifecycle-actions", Map.of("region", region)).path("actions")) {
            String token = action.path("token").asText();
            int beats = action.path("heartbeats").size();
            if (beats > heartbeats.getOrDefault(token, 0)) {
                scheduler.observe(Kind.HOOK_HEARTBEAT, action.path("instanceId").asText(),
                        action.path("hook").asText() + " heartbeat " + beats);
            }
            heartbeats.put(token, beats);
            String state = action.path("state").asText();
            if (!"WAITING".equals(state) && !state.equals(states.get(token))) {
                AwsReactions.hookCompleted(action, scheduler);
            }
            states.put(token, state);
        }
    }
}
