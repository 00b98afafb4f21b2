package dev.deckhand.drain.planner;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A task the drain will not save, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskAtRisk(String taskArn, String group, Long stopTimeoutSeconds, String reason) {
}
