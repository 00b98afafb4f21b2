package dev.deckhand.local.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What AWS does on its own after an event, whatever Deckhand does: the part of the world the local
 * scheduler must play for a replay to show the consequences.
 */
public final class AwsReactions {

    /** EC2 reclaims a Spot Instance two minutes after the warning (hibernation starts at once). */
    static final Duration SPOT_WARNING = Duration.ofMinutes(2);

    private AwsReactions() {
    }

    /** Schedules what {@code event} sets in motion; returns when the last of it happens, or null if nothing. */
    public static Instant schedule(JsonNode event, LocalScheduler scheduler) {
        String source = event.path("source").asText();
        String detailType = event.path("detail-type").asText();
        Instant time = Instant.parse(event.path("time").asText());
        if (source.equals("aws.ec2") && detailType.equals("EC2 Spot Instance Interruption Warning")) {
            String action = event.path("detail").path("instance-action").asText("terminate");
            Instant at = action.equals("hibernate") ? time : time.plus(SPOT_WARNING);
            scheduler.terminateAt(event.path("detail").path("instance-id").asText(), at, "Spot interruption (" + action + ")");
            return at;
        }
        return null;
    }
}
