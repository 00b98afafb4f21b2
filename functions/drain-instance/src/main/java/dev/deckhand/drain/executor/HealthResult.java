package dev.deckhand.drain.executor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What drain-instance returns for an AWS Health scheduled change: when the change starts, when its
 * instances drain, and per instance what was done now (DRAIN, SCHEDULED, ALREADY_SCHEDULED,
 * NOT_MANAGED, ...); or, for a change it drains nothing for, {@code decision} IGNORED and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthResult(
        String eventId,
        @JsonProperty("trigger") String signal,
        String eventTypeCode,
        String startTime,
        String drainAt,
        String decision,
        String reason,
        List<DrainResult> instances,
        Map<String, Integer> awsCalls) {

    public HealthResult withAwsCalls(Map<String, Integer> calls) {
        return new HealthResult(eventId, signal, eventTypeCode, startTime, drainAt, decision, reason, instances, calls);
    }
}
