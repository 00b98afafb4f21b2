package dev.deckhand.local.routing;

import dev.deckhand.local.template.RuleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * Routes an event the way EventBridge would, with AWS's own matching engine (event-ruler) and
 * the pattern rules of template.yaml.
 *
 * <pre>{@code
 * List<RuleSpec> matched = new EventRouter(template.rules()).route(eventJson);
 * }</pre>
 */
public final class EventRouter {

    private final Machine machine = Machine.builder().build();
    private final Map<String, RuleSpec> rules = new LinkedHashMap<>();

    public EventRouter(List<RuleSpec> rules) {
        for (RuleSpec rule : rules) {
            this.rules.put(rule.name(), rule);
            if (rule.pattern() != null) {
                try {
                    machine.addRule(rule.name(), rule.pattern());
                } catch (Exception e) {
                    throw new IllegalArgumentException("rule " + rule.name() + " has a pattern event-ruler rejects: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** The enabled pattern rules that match {@code eventJson}, in template order. */
    public List<RuleSpec> route(String eventJson) {
        List<String> names;
        try {
            names = machine.rulesForJSONEvent(eventJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an event EventBridge could route: " + e.getMessage(), e);
        }
        List<RuleSpec> matched = new ArrayList<>();
        for (RuleSpec rule : rules.values()) {
            if (rule.enabled() && names.contains(rule.name())) {
                matched.add(rule);
            }
        }
        return matched;
    }
}
