package dev.deckhand.local.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * template.yaml as the local command needs it: each function's Handler, CodeUri, Globals-merged
 * Environment (evaluated for the parameter values in use), and each EventBridge rule's pattern. It
 * reads the template after {@code AWS::LanguageExtensions} ({@link ExpandedTemplate}: cfn-lint's
 * expansion of {@code Fn::ForEach}), and merges Globals into each function as the SAM transform does.
 *
 * <pre>{@code
 * SamTemplate template = SamTemplate.load(home.resolve("template.yaml"), Map.of("DryRun", "true"), "us-east-2");
 * for (RuleSpec rule : template.rules()) { ... }
 * }</pre>
 */
public final class SamTemplate {

    public static final String ACCOUNT_ID = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<String, Object> root;
    private final Map<String, Object> parameters;
    private final Intrinsics intrinsics;

    private SamTemplate(Path directory, Map<String, Object> root, Map<String, Object> parameters) {
        this.directory = directory;
        this.root = root;
        this.parameters = parameters;
        // Ref to a queue is its URL, as in CloudFormation; the emulator accepts AWS's URL form.
        Map<String, Object> refs = new LinkedHashMap<>(parameters);
        // Ref to an event bus is its name.
        Intrinsics plain = new Intrinsics(parameters, section("Conditions"));
        section("Resources").forEach((id, resource) -> {
            if ("AWS::SQS::Queue".equals(map(resource).get("Type"))) {
                refs.put(id, "https://sqs." + parameters.get("AWS::Region") + ".amazonaws.com/" + ACCOUNT_ID + "/" + id);
            }
            if ("AWS::Events::EventBus".equals(map(resource).get("Type"))) {
                refs.put(id, String.valueOf(plain.evaluate(map(map(resource).get("Properties")).get("Name"))));
            }
        });
        this.intrinsics = new Intrinsics(refs, section("Conditions"));
    }

    /**
     * @param overrides parameter values to use instead of the defaults ({@code Name=Value}, as
     *                  {@code sam deploy --parameter-overrides} takes them)
     */
    public static SamTemplate load(Path file, Map<String, String> overrides, String region) {
        return load(file, overrides, region, ACCOUNT_ID);
    }

    /**
     * As deployed in {@code account} ({@code AWS::AccountId}; rule patterns that name the stack's own
     * resources, such as a parameter's ARN, use it). Queue URLs stay the emulator's account's.
     */
    public static SamTemplate load(Path file, Map<String, String> overrides, String region, String account) {
        Map<String, Object> root = ExpandedTemplate.load(file);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("AWS::Region", region);
        parameters.put("AWS::AccountId", account);
        parameters.put("AWS::Partition", "aws");
        parameters.put("AWS::StackName", "deckhand");
        parameters.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, Object> declared = map(root.getOrDefault("Parameters", Map.of()));
        for (String unknown : overrides.keySet()) {
            if (!declared.containsKey(unknown)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + unknown
                        + " (it has " + String.join(", ", declared.keySet()) + ")");
            }
        }
        declared.forEach((name, definition) -> {
            Map<String, Object> spec = map(definition);
            String value = overrides.containsKey(name) ? overrides.get(name) : String.valueOf(spec.getOrDefault("Default", ""));
            Object allowed = spec.get("AllowedValues");
            if (allowed instanceof List<?> values && values.stream().map(String::valueOf).noneMatch(value::equals)) {
                throw new IllegalArgumentException("parameter " + name + " must be one of " + values + ", got '" + value + "'");
            }
            parameters.put(name, "CommaDelimitedList".equals(spec.get("Type")) ? List.of(value.split(",", -1)) : value);
        });
        return new SamTemplate(file.toAbsolutePath().getParent(), root, parameters);
    }

    private Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private Map<String, Object> resources() {
        return section("Resources");
    }

    private Map<String, Object> globalFunction() {
        return map(section("Globals").get("Function"));
    }

    public List<FunctionSpec> functions() {
        List<FunctionSpec> functions = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                functions.add(function(id));
            }
        });
        return functions;
    }

    public FunctionSpec function(String logicalId) {
        Map<String, Object> written = map(map(resources().get(logicalId)).get("Properties"));
        if (written.isEmpty()) {
            throw new IllegalArgumentException("template.yaml has no function " + logicalId);
        }
        Map<String, Object> properties = map(withGlobals(globalFunction(), written));
        Map<String, String> environment = new TreeMap<>();
        addVariables(environment, properties);
        Map<String, Object> invokeConfig = map(properties.get("EventInvokeConfig"));
        Object retries = invokeConfig.getOrDefault("MaximumRetryAttempts", 2);
        String failureQueue = null;
        Object destination = map(map(map(invokeConfig.get("DestinationConfig")).get("OnFailure"))).get("Destination");
        if (destination instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> target) {
            failureQueue = String.valueOf(target.get(0));
        }
        return new FunctionSpec(
                logicalId,
                (String) property(properties, "Handler"),
                directory.resolve((String) property(properties, "CodeUri")).normalize(),
                String.valueOf(property(properties, "Runtime")),
                Integer.parseInt(String.valueOf(propertyOr(properties, "MemorySize", 128))),
                Duration.ofSeconds(Long.parseLong(String.valueOf(propertyOr(properties, "Timeout", 3)))),
                environment,
                Integer.parseInt(String.valueOf(retries)),
                failureQueue);
    }

    private Object property(Map<String, Object> properties, String name) {
        Object value = propertyOr(properties, name, null);
        if (value == null) {
            throw new IllegalArgumentException("a function in template.yaml has no " + name);
        }
        return value;
    }

    private Object propertyOr(Map<String, Object> properties, String name, Object fallback) {
        Object value = properties.get(name);
        return value == null ? fallback : intrinsics.evaluate(value);
    }

    /**
     * A function's property merged with its Globals value as the SAM transform merges them: maps key
     * by key (recursively), lists concatenated (Globals first), anything else (an intrinsic function
     * too) the function's own.
     */
    private static Object withGlobals(Object global, Object local) {
        if (global instanceof Map<?, ?> globalMap && local instanceof Map<?, ?> localMap
                && !intrinsic(globalMap) && !intrinsic(localMap)) {
            Map<Object, Object> merged = new LinkedHashMap<>(globalMap);
            localMap.forEach((key, value) -> merged.put(key, merged.containsKey(key) ? withGlobals(merged.get(key), value) : value));
            return merged;
        }
        if (global instanceof List<?> globalList && local instanceof List<?> localList) {
            List<Object> merged = new ArrayList<>(globalList);
            merged.addAll(localList);
            return merged;
        }
        return local;
    }

    private static boolean intrinsic(Map<?, ?> value) {
        return value.size() == 1 && value.keySet().iterator().next() instanceof String key
                && (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::"));
    }

    private void addVariables(Map<String, String> environment, Map<String, Object> properties) {
        map(map(properties.get("Environment")).get("Variables")).forEach((key, raw) -> {
            Object value = intrinsics.evaluate(raw);
            if (value != Intrinsics.NO_VALUE) {
                environment.put(key, value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        });
    }

    /** Every EventBridge rule that targets a function: SAM function events and plain AWS::Events::Rule resources. */
    public List<RuleSpec> rules() {
        List<RuleSpec> rules = new ArrayList<>();
        resources().forEach((id, resource) -> {
            Map<String, Object> spec = map(resource);
            Map<String, Object> properties = map(spec.get("Properties"));
            if ("AWS::Serverless::Function".equals(spec.get("Type"))) {
                map(properties.get("Events")).forEach((eventName, event) -> {
                    Map<String, Object> eventSpec = map(event);
                    Map<String, Object> eventProperties = map(eventSpec.get("Properties"));
                    String type = String.valueOf(eventSpec.get("Type"));
                    switch (type) {
                        case "EventBridgeRule", "CloudWatchEvent" -> rules.add(new RuleSpec(id + "." + eventName, id,
                                json(deep(eventProperties.get("Pattern"))), null, enabled(eventProperties), null,
                                eventProperties.containsKey("EventBusName") ? String.valueOf(intrinsics.evaluate(eventProperties.get("EventBusName")))
                                        : RuleSpec.DEFAULT_BUS));
                        case "Schedule", "ScheduleV2" -> rules.add(new RuleSpec(id + "." + eventName, id, null,
                                String.valueOf(intrinsics.evaluate(eventProperties.getOrDefault("Schedule",
                                        eventProperties.get("ScheduleExpression")))), enabled(eventProperties),
                                eventProperties.containsKey("Input") ? String.valueOf(intrinsics.evaluate(eventProperties.get("Input"))) : null));
                        default -> {
                            // other event sources (SQS, ...) are not EventBridge rules
                        }
                    }
                });
            } else if ("AWS::Events::Rule".equals(spec.get("Type"))) {
                Object targets = properties.get("Targets");
                if (targets instanceof List<?> list) {
                    for (Object target : list) {
                        Object arn = map(target).get("Arn");
                        if (arn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> ref) {
                            rules.add(new RuleSpec(id, String.valueOf(ref.get(0)),
                                    properties.containsKey("EventPattern") ? json(properties.get("EventPattern")) : null,
                                    (String) properties.get("ScheduleExpression"),
                                    !"DISABLED".equals(String.valueOf(intrinsics.evaluate(properties.getOrDefault("State", "ENABLED"))))));
                        }
                    }
                }
            }
        });
        return rules;
    }

    private boolean enabled(Map<String, Object> eventProperties) {
        Object enabled = eventProperties.containsKey("Enabled") ? intrinsics.evaluate(eventProperties.get("Enabled")) : null;
        Object state = eventProperties.containsKey("State") ? intrinsics.evaluate(eventProperties.get("State")) : null;
        if (state != null) {
            return !"DISABLED".equals(String.valueOf(state));
        }
        return enabled == null || Boolean.parseBoolean(String.valueOf(enabled));
    }

    /** {@code value} with every intrinsic function inside it evaluated (an event pattern's {@code prefix: !Ref ...}). */
    private Object deep(Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.keySet().iterator().next() instanceof String key && (key.equals("Ref") || key.startsWith("Fn::"))) {
                return intrinsics.evaluate(value);
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, deep(v)));
            return out;
        }
        if (value instanceof List<?> items) {
            return items.stream().map(this::deep).toList();
        }
        return value;
    }

    /**
     * The SQS queues (logical ids) whose messages invoke {@code functionLogicalId} (its
     * {@code AWS::Lambda::EventSourceMapping}s, naming the function or its {@code .Alias}), with the batch size.
     */
    public Map<String, Integer> queueSources(String functionLogicalId) {
        Map<String, Integer> sources = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            Map<String, Object> spec = map(resource);
            if (!"AWS::Lambda::EventSourceMapping".equals(spec.get("Type"))) {
                return;
            }
            Map<String, Object> properties = map(spec.get("Properties"));
            Object function = properties.get("FunctionName") instanceof Map<?, ?> ref ? ref.get("Ref") : null;
            Object queue = properties.get("EventSourceArn") instanceof Map<?, ?> getAtt ? getAtt.get("Fn::GetAtt") : null;
            if ((functionLogicalId.equals(function) || (functionLogicalId + ".Alias").equals(function)) && queue instanceof List<?> target) {
                sources.put(String.valueOf(target.get(0)), Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", 10))));
            }
        });
        return sources;
    }

    private String json(Object pattern) {
        try {
            return JSON.writeValueAsString(pattern);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the template's own event buses (not the default one), which the emulator must have for PutEvents to them. */
    public List<String> buses() {
        List<String> buses = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Events::EventBus".equals(map(resource).get("Type"))) {
                buses.add(String.valueOf(intrinsics.evaluate(Map.of("Ref", id))));
            }
        });
        return buses;
    }

    /** Logical ids of the template's SQS queues. */
    public List<String> queues() {
        List<String> queues = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::SQS::Queue".equals(map(resource).get("Type"))) {
                queues.add(id);
            }
        });
        return queues;
    }

    public Map<String, Object> parameters() {
        return Map.copyOf(parameters);
    }
}
