package dev.deckhand.local.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.template.RuleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * Routes an event the way EventBridge would, with AWS's own matching engine (event-ruler) and
 * the pattern rules of template.yaml. An event reaches only the rules of the bus it was put on:
 * AWS services' events arrive on the default bus; Deckhand's own requests on Deckhand's bus, so a
 * {@code source: deckhand} event put on the default bus reaches nothing.
 *
 * <pre>{@code
 * List<RuleSpec> matched = new RuleRouter(template.rules()).route(eventJson);          // the default bus
 * List<RuleSpec> requested = new RuleRouter(template.rules()).route("deckhand-deckhand", eventJson);
 * }</pre>
 */
public final class RuleRouter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Machine machine = Machine.builder().build();
    private final Map<String, RuleSpec> rules = new LinkedHashMap<>();

    public RuleRouter(List<RuleSpec> rules) {
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

    /**
     * The enabled rules that match {@code eventJson}, in template order: pattern rules by
     * event-ruler; schedule rules when the event is their {@code Scheduled Event}, which names the
     * rule in {@code resources} (SAM names a function's schedule rule {@code <stack>-<Function><Event>-<suffix>});
     * and a rule with a constant {@code Input} when the event is that input, which is what its target
     * receives ({@link RuleSpec#delivery}).
     */
    public List<RuleSpec> route(String eventJson) {
        return route(RuleSpec.DEFAULT_BUS, eventJson);
    }

    /** The enabled rules of {@code bus} (a name) that match {@code eventJson}, as {@link #route(String)} matches them. */
    public List<RuleSpec> route(String bus, String eventJson) {
        List<String> names;
        try {
            names = new ArrayList<>(machine.rulesForJSONEvent(eventJson));
            JsonNode event = JSON.readTree(eventJson);
            for (RuleSpec rule : rules.values()) {
                // What a rule with a constant Input delivers is that input, not an event: it reaches that rule's target.
                if (rule.input() != null && !names.contains(rule.name()) && JSON.readTree(rule.input()).equals(event)) {
                    names.add(rule.name());
                }
            }
            if ("aws.events".equals(event.path("source").asText()) && "Scheduled Event".equals(event.path("detail-type").asText())) {
                for (RuleSpec rule : rules.values()) {
                    String generated = rule.name().replace(".", "");
                    if (rule.schedule() != null && event.path("resources").toString().matches(".*:rule/[^\"]*" + generated + "[^\"]*.*")) {
                        names.add(rule.name());
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("not an event EventBridge could route: " + e.getMessage(), e);
        }
        List<RuleSpec> matched = new ArrayList<>();
        for (RuleSpec rule : rules.values()) {
            if (rule.enabled() && rule.bus().equals(bus) && names.contains(rule.name())) {
                matched.add(rule);
            }
        }
        return matched;
    }
}
