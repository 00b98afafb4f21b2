package dev.deckhand.drain.handler;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.IsoInstant;
import dev.deckhand.drain.planner.HealthSchedule;
import dev.deckhand.drain.planner.ScheduledChange;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.health} / {@code AWS Health Event} for an EC2 scheduled change. Example
 * (AWS Health User Guide, "Reference: AWS Health events Amazon EventBridge schema", "Account-specific
 * AWS Health Event - Amazon EC2 Instance Retirement"; fields Deckhand does not read left out):
 *
 * <pre>{@code
 * "detail": {"eventArn": "arn:aws:health:us-east-1::event/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED_90353408594353983",
 *   "service": "EC2", "eventTypeCode": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "eventTypeCategory": "scheduledChange",
 *   "startTime": "Thu, 27 Aug 2026 13:19:03 GMT", "statusCode": "open", "eventRegion": "us-east-1",
 *   "affectedEntities": [{"entityValue": "arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0",
 *                         "status": "PENDING"}]}
 * }</pre>
 *
 * An instance is named by an ARN or a bare id, in {@code affectedEntities[].entityValue} and in the
 * envelope's {@code resources}; other entities (a Dedicated Host, a volume) are not instances and are
 * left out. {@code startTime} is read only for the event types Deckhand drains for.
 */
record HealthScheduledChange(
        String service,
        String eventTypeCode,
        String eventTypeCategory,
        String startTime,
        String statusCode,
        String eventRegion,
        List<AffectedEntity> affectedEntities) {

    /** One entity the event names. */
    public record AffectedEntity(String entityValue) {
    }

    static final String EC2 = "EC2";
    static final String SCHEDULED_CHANGE = "scheduledChange";

    /** An EC2 instance ARN: arn:partition:ec2:region:account:instance/id. */
    private static final Pattern INSTANCE_ARN = Pattern.compile("arn:[\\w-]+:ec2:[\\w-]*:\\d*:instance/(.*)", Pattern.DOTALL);
    /** "DoW, DD MMM YYYY HH:MM:SS GMT" (the schema's format); the day of the week is not checked (AWS's own sample gets one wrong). */
    private static final Pattern HEALTH_TIME = Pattern.compile(
            "(?:[A-Za-z]{3},\\s*)?(\\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2})\\s+(?:GMT|UTC|Z)");
    private static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", Locale.ENGLISH);

    public HealthScheduledChange {
        if (!EC2.equals(service)) {
            throw new BadEventException("event field `detail.service` is " + describe(service)
                    + "; drain-instance acts only on EC2 scheduled changes");
        }
        if (!SCHEDULED_CHANGE.equals(eventTypeCategory)) {
            throw new BadEventException("event field `detail.eventTypeCategory` is " + describe(eventTypeCategory)
                    + "; drain-instance acts only on scheduledChange");
        }
        if (eventTypeCode == null || eventTypeCode.isBlank()) {
            throw new BadEventException("event field `detail.eventTypeCode` is missing");
        }
        affectedEntities = affectedEntities == null ? List.of() : List.copyOf(affectedEntities);
    }

    private static String describe(String value) {
        return value == null ? "missing" : EventParser.abbreviate(value);
    }

    ScheduledChange toChange(EventEnvelope event) {
        boolean drains = HealthSchedule.drains(eventTypeCode);
        return new ScheduledChange(event.id(), EventParser.abbreviate(eventTypeCode), statusCode, eventRegion,
                drains ? start() : null, instanceIds(event));
    }

    /** {@code detail.startTime} as an instant. */
    Instant start() {
        if (startTime == null) {
            throw new BadEventException("event field `detail.startTime` is missing");
        }
        Matcher parts = HEALTH_TIME.matcher(startTime.trim());
        try {
            if (parts.matches()) {
                return LocalDateTime.parse(parts.group(1), DAY_MONTH_YEAR).toInstant(ZoneOffset.UTC);
            }
            return IsoInstant.parse(startTime.trim());
        } catch (DateTimeParseException e) {
            throw new BadEventException("event field `detail.startTime` is not a time such as \"Thu, 27 Aug 2026 13:19:03 GMT\": "
                    + EventParser.abbreviate(startTime));
        }
    }

    /** The instances named, each once: affected entities first, then resources. */
    List<String> instanceIds(EventEnvelope event) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < affectedEntities.size(); i++) {
            AffectedEntity entity = affectedEntities.get(i);
            instanceId(event, "detail.affectedEntities[" + i + "].entityValue", entity == null ? null : entity.entityValue(), ids);
        }
        for (int i = 0; i < event.resources().size(); i++) {
            instanceId(event, "resources[" + i + "]", event.resources().get(i), ids);
        }
        return new ArrayList<>(ids);
    }

    private static void instanceId(EventEnvelope event, String field, String value, Set<String> ids) {
        if (value == null) {
            return;
        }
        Matcher arn = INSTANCE_ARN.matcher(value);
        if (arn.matches()) {
            EventParser.requireInScope(event, field, value);
            ids.add(EventParser.requireInstanceId(field, arn.group(1)));
        } else if (value.startsWith("i-")) {
            ids.add(EventParser.requireInstanceId(field, value));
        }
        // anything else (a Dedicated Host h-..., a volume, another service's ARN) is not an instance
    }
}
