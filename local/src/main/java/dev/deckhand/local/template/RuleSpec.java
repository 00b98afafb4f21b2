package dev.deckhand.local.template;

/**
 * One EventBridge rule of template.yaml that targets a function.
 *
 * @param name     {@code FunctionLogicalId.EventName}, as the SAM transform names it
 * @param pattern  the event pattern as JSON, or null for a schedule
 * @param schedule the schedule expression, or null for a pattern rule
 * @param enabled  false when the rule is created disabled (a schedule off by default)
 * @param input    the target's constant {@code Input} (JSON), which EventBridge delivers instead of the
 *                 event, or null when the target receives the event itself
 * @param bus      the name of the event bus the rule is on: {@link #DEFAULT_BUS} unless its {@code EventBusName} says otherwise
 */
public record RuleSpec(String name, String functionLogicalId, String pattern, String schedule, boolean enabled, String input, String bus) {

    public static final String DEFAULT_BUS = "default";

    public RuleSpec(String name, String functionLogicalId, String pattern, String schedule, boolean enabled, String input) {
        this(name, functionLogicalId, pattern, schedule, enabled, input, DEFAULT_BUS);
    }

    public RuleSpec(String name, String functionLogicalId, String pattern, String schedule, boolean enabled) {
        this(name, functionLogicalId, pattern, schedule, enabled, null);
    }

    /** What the target receives for {@code eventJson}: the rule's constant input when it has one, else the event. */
    public String delivery(String eventJson) {
        return input == null ? eventJson : input;
    }
}
