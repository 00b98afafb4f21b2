package dev.deckhand.local.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions template.yaml uses in places the local command reads
 * (Environment, Conditions): Ref to parameters and pseudo parameters, Sub, Join, Split, Select,
 * If, Equals, Not, And, Or. Anything else is an error naming it.
 */
final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    static final Object NO_VALUE = new Object();

    private final Map<String, Object> parameters;
    private final Map<String, Object> conditions;

    Intrinsics(Map<String, Object> parameters, Map<String, Object> conditions) {
        this.parameters = parameters;
        this.conditions = conditions;
    }

    @SuppressWarnings("unchecked")
    Object evaluate(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            return value;
        }
        String key = (String) map.keySet().iterator().next();
        Object argument = map.values().iterator().next();
        return switch (key) {
            case "Ref" -> ref((String) argument);
            case "Fn::Sub" -> sub(argument);
            case "Fn::Join" -> {
                List<Object> args = (List<Object>) argument;
                List<String> parts = new ArrayList<>();
                for (Object item : list(evaluate(args.get(1)))) {
                    parts.add(String.valueOf(evaluate(item)));
                }
                yield String.join((String) args.get(0), parts);
            }
            case "Fn::Split" -> {
                List<Object> args = (List<Object>) argument;
                yield List.of(((String) evaluate(args.get(1))).split(Pattern.quote((String) args.get(0)), -1));
            }
            case "Fn::Select" -> {
                List<Object> args = (List<Object>) argument;
                yield list(evaluate(args.get(1))).get(Integer.parseInt(String.valueOf(evaluate(args.get(0)))));
            }
            case "Fn::If" -> {
                List<Object> args = (List<Object>) argument;
                yield condition((String) args.get(0)) ? evaluate(args.get(1)) : evaluate(args.get(2));
            }
            case "Fn::Equals" -> {
                List<Object> args = (List<Object>) argument;
                yield String.valueOf(evaluate(args.get(0))).equals(String.valueOf(evaluate(args.get(1))));
            }
            case "Fn::Not" -> !truth(((List<Object>) argument).get(0));
            case "Fn::And" -> ((List<Object>) argument).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<Object>) argument).stream().anyMatch(this::truth);
            case "Condition" -> condition((String) argument);
            default -> throw new IllegalArgumentException("the local command cannot evaluate " + key);
        };
    }

    private boolean truth(Object value) {
        return Boolean.TRUE.equals(evaluate(value));
    }

    boolean condition(String name) {
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return truth(definition);
    }

    private Object ref(String name) {
        return switch (name) {
            case "AWS::NoValue" -> NO_VALUE;
            default -> {
                if (!parameters.containsKey(name)) {
                    throw new IllegalArgumentException("the local command cannot resolve Ref " + name);
                }
                yield parameters.get(name);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private String sub(Object argument) {
        String template;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> args) {
            template = (String) args.get(0);
            variables = (Map<String, Object>) args.get(1);
        } else {
            template = (String) argument;
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Object resolved = variables.containsKey(name) ? evaluate(variables.get(name)) : ref(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(resolved)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value instanceof List<?> items) {
            return (List<Object>) items;
        }
        throw new IllegalArgumentException("expected a list, got " + value);
    }
}
