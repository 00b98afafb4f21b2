package dev.deckhand.local.template;

/**
 * One EventBridge rule of template.yaml that targets a function.
 *
 * @param name     {@code FunctionLogicalId.EventName}, as the SAM transform names it
 * @param pattern  the event pattern as JSON, or null for a schedule
 * @param schedule the schedule expression, or null for a pattern rule
 * @param enabled  false when the rule is created disabled (a schedule off by default)
 */
public record RuleSpec(String name, String functionLogicalId, String pattern, String schedule, boolean enabled) {
}
