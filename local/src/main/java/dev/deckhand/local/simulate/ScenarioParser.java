package dev.deckhand.local.simulate;

import dev.deckhand.local.simulate.Scenario.AmiRelease;
import dev.deckhand.local.simulate.Scenario.ClusterSpec;
import dev.deckhand.local.simulate.Scenario.Deploy;
import dev.deckhand.local.simulate.Scenario.ImageDeregistered;
import dev.deckhand.local.simulate.Scenario.RebalanceWave;
import dev.deckhand.local.simulate.Scenario.ServiceSpec;
import dev.deckhand.local.simulate.Scenario.SpotStorm;
import dev.deckhand.local.simulate.Scenario.TimelineEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a scenario file (format: local/scenarios/README.md). Every mistake is an
 * {@link IllegalArgumentException} naming the file, the field's path and what it accepts, e.g.
 * {@code storm.yaml: clusters[0].services[1].desired: a whole number from 0 to 10000, got "six"};
 * an unknown key is a mistake too (a typo would otherwise be ignored).
 *
 * <pre>{@code
 * Scenario scenario = ScenarioParser.parse(Path.of("local/scenarios/storm.yaml"));
 * }</pre>
 */
public final class ScenarioParser {

    static final int MAX_INSTANCES = 5_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final Pattern ZONE = Pattern.compile("[a-z]");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern PARAMETER = Pattern.compile("/?[A-Za-z0-9_./-]{1,1011}");
    /** An AMI name as RegisterImage takes it (EC2 API Reference, RegisterImage: 3 to 128 of these). */
    private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./'@_-]{3,128}");

    private final String file;

    private ScenarioParser(String file) {
        this.file = file;
    }

    public static Scenario parse(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such scenario file: " + path);
        }
        try {
            return parse(path.getFileName().toString(), Files.readString(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
    }

    public static Scenario parse(String fileName, String text) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(fileName + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return new ScenarioParser(fileName).scenario(root);
    }

    private Scenario scenario(Object root) {
        Map<String, Object> top = map(root, "the file");
        known(top, "", Set.of("name", "description", "region", "tick", "duration", "seed", "clusters", "timeline", "parameters"));
        String name = name(required(top, "", "name"), "name");
        String description = top.containsKey("description") ? string(top.get("description"), "description") : "";
        String region = top.containsKey("region") ? string(top.get("region"), "region") : "us-east-2";
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw error("region", "an AWS region such as us-east-2", region);
        }
        Duration tick = top.containsKey("tick") ? duration(top.get("tick"), "tick") : Duration.ofSeconds(10);
        if (tick.toSeconds() < 1 || tick.toSeconds() > 60) {
            throw error("tick", "a duration from 1s to 60s", Text.duration(tick));
        }
        Duration duration = duration(required(top, "", "duration"), "duration");
        if (duration.compareTo(tick) < 0 || duration.toHours() > 6) {
            throw error("duration", "a duration from one tick to 6h", Text.duration(duration));
        }
        long seed = top.containsKey("seed") ? integer(top.get("seed"), "seed", 0, Integer.MAX_VALUE) : 1;

        List<Object> clusterList = list(required(top, "", "clusters"), "clusters");
        if (clusterList.isEmpty()) {
            throw error("clusters", "at least one cluster", "none");
        }
        List<ClusterSpec> clusters = new ArrayList<>();
        Set<String> clusterNames = new HashSet<>();
        for (int i = 0; i < clusterList.size(); i++) {
            ClusterSpec cluster = cluster(clusterList.get(i), "clusters[" + i + "]");
            for (String each : cluster.names()) {
                if (!clusterNames.add(each)) {
                    throw error("clusters[" + i + "].name", "a cluster name used once", each);
                }
            }
            clusters.add(cluster);
        }
        int instances = clusters.stream().mapToInt(c -> c.copies() * c.instances()).sum();
        if (instances > MAX_INSTANCES) {
            throw error("clusters", "at most " + MAX_INSTANCES + " instances in all", Integer.toString(instances));
        }

        List<TimelineEntry> timeline = new ArrayList<>();
        List<Object> entries = top.containsKey("timeline") ? list(top.get("timeline"), "timeline") : List.of();
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry entry = entry(entries.get(i), "timeline[" + i + "]", clusters, clusterNames);
            if (entry.at().compareTo(duration) >= 0) {
                throw error("timeline[" + i + "].at", "a time before the scenario's duration (" + Text.duration(duration) + ")",
                        Text.duration(entry.at()));
            }
            timeline.add(entry);
        }
        timeline.sort(Comparator.comparing(TimelineEntry::at));
        Set<String> released = new HashSet<>();
        for (int i = 0; i < timeline.size(); i++) {
            if (timeline.get(i) instanceof AmiRelease release && release.imageName() != null) {
                released.add(release.imageName());
            } else if (timeline.get(i) instanceof ImageDeregistered gone && !released.contains(gone.imageName())) {
                throw error("timeline", "an imageDeregistered after the amiRelease that publishes its image", gone.imageName());
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (top.containsKey("parameters")) {
            map(top.get("parameters"), "parameters").forEach((key, value) -> {
                if (!key.matches("[A-Za-z0-9]{1,255}")) {
                    throw error("parameters", "template.yaml parameter names", key);
                }
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw error("parameters." + key, "a value", shown(value));
                }
                parameters.put(key, value.toString());
            });
        }
        return new Scenario(name, description, region, tick, duration, seed, List.copyOf(clusters), List.copyOf(timeline),
                Map.copyOf(parameters));
    }

    private ClusterSpec cluster(Object value, String path) {
        Map<String, Object> map = map(value, path);
        known(map, path, Set.of("name", "copies", "zones", "spot", "onDemand", "instanceCpu", "instanceMemory", "replacement", "services",
                "spotStopsFor", "launchTemplate"));
        String name = name(required(map, path, "name"), path + ".name");
        int copies = map.containsKey("copies") ? integer(map.get("copies"), path + ".copies", 1, 500) : 1;
        List<String> zones = new ArrayList<>();
        List<Object> zoneList = map.containsKey("zones") ? list(map.get("zones"), path + ".zones") : List.of("a", "b");
        for (int i = 0; i < zoneList.size(); i++) {
            String zone = string(zoneList.get(i), path + ".zones[" + i + "]");
            if (!ZONE.matcher(zone).matches()) {
                throw error(path + ".zones[" + i + "]", "an Availability Zone letter such as a", zone);
            }
            zones.add(zone);
        }
        if (zones.isEmpty() || new HashSet<>(zones).size() != zones.size()) {
            throw error(path + ".zones", "one or more different zone letters", zoneList.toString());
        }
        int spot = map.containsKey("spot") ? integer(map.get("spot"), path + ".spot", 0, MAX_INSTANCES) : 0;
        int onDemand = map.containsKey("onDemand") ? integer(map.get("onDemand"), path + ".onDemand", 0, MAX_INSTANCES) : 0;
        if (spot + onDemand == 0) {
            throw error(path, "at least one instance (spot or onDemand)", "none");
        }
        int cpu = map.containsKey("instanceCpu") ? integer(map.get("instanceCpu"), path + ".instanceCpu", 128, 192 * 1024) : 2048;
        int memory = map.containsKey("instanceMemory") ? integer(map.get("instanceMemory"), path + ".instanceMemory", 128, 24 * 1024 * 1024)
                : 7680;
        Duration replacement = map.containsKey("replacement") ? duration(map.get("replacement"), path + ".replacement") : null;
        List<Object> serviceList = map.containsKey("services") ? list(map.get("services"), path + ".services") : List.of();
        List<ServiceSpec> services = new ArrayList<>();
        Set<String> serviceNames = new HashSet<>();
        for (int i = 0; i < serviceList.size(); i++) {
            String servicePath = path + ".services[" + i + "]";
            ServiceSpec service = service(serviceList.get(i), servicePath);
            if (!serviceNames.add(service.name())) {
                throw error(servicePath + ".name", "a service name used once in its cluster", service.name());
            }
            if (service.cpu() > cpu || service.memory() > memory) {
                throw error(servicePath, "a task that fits an instance (" + cpu + " CPU units, " + memory + " MiB)",
                        service.cpu() + " CPU units, " + service.memory() + " MiB");
            }
            services.add(service);
        }
        Duration spotStopsFor = map.containsKey("spotStopsFor") ? duration(map.get("spotStopsFor"), path + ".spotStopsFor") : null;
        String amiParameter = null;
        if (map.containsKey("launchTemplate")) {
            Map<String, Object> template = map(map.get("launchTemplate"), path + ".launchTemplate");
            known(template, path + ".launchTemplate", Set.of("parameter"));
            amiParameter = parameter(required(template, path + ".launchTemplate", "parameter"), path + ".launchTemplate.parameter");
            if (onDemand == 0) {
                throw error(path + ".onDemand", "at least one instance for the Auto Scaling group of its launchTemplate", "0");
            }
        }
        return new ClusterSpec(name, copies, List.copyOf(zones), spot, onDemand, cpu, memory, replacement, List.copyOf(services),
                spotStopsFor, amiParameter);
    }

    private ServiceSpec service(Object value, String path) {
        Map<String, Object> map = map(value, path);
        known(map, path, Set.of("name", "desired", "cpu", "memory", "minimumHealthyPercent", "maximumPercent", "stopTimeout",
                "loadBalancer"));
        String name = name(required(map, path, "name"), path + ".name");
        int desired = integer(required(map, path, "desired"), path + ".desired", 0, 10_000);
        int cpu = map.containsKey("cpu") ? integer(map.get("cpu"), path + ".cpu", 1, 192 * 1024) : 256;
        int memory = map.containsKey("memory") ? integer(map.get("memory"), path + ".memory", 1, 24 * 1024 * 1024) : 512;
        int minimum = map.containsKey("minimumHealthyPercent")
                ? integer(map.get("minimumHealthyPercent"), path + ".minimumHealthyPercent", 0, 100) : 100;
        int maximum = map.containsKey("maximumPercent") ? integer(map.get("maximumPercent"), path + ".maximumPercent", 100, 200) : 200;
        int stop = map.containsKey("stopTimeout") ? (int) duration(map.get("stopTimeout"), path + ".stopTimeout").toSeconds() : 30;
        if (stop < 2 || stop > 120) {
            throw error(path + ".stopTimeout", "from 2s to 120s (ECS's limits)", stop + "s");
        }
        Integer delay = null;
        if (map.containsKey("loadBalancer")) {
            Map<String, Object> balancer = map(map.get("loadBalancer"), path + ".loadBalancer");
            known(balancer, path + ".loadBalancer", Set.of("deregistrationDelay"));
            delay = balancer.containsKey("deregistrationDelay")
                    ? (int) duration(balancer.get("deregistrationDelay"), path + ".loadBalancer.deregistrationDelay").toSeconds() : 300;
            if (delay < 0 || delay > 3600) {
                throw error(path + ".loadBalancer.deregistrationDelay", "from 0s to 3600s (Elastic Load Balancing's limits)", delay + "s");
            }
        }
        return new ServiceSpec(name, desired, cpu, memory, minimum, maximum, stop, delay);
    }

    private TimelineEntry entry(Object value, String path, List<ClusterSpec> clusters, Set<String> clusterNames) {
        Map<String, Object> map = map(value, path);
        Set<String> kinds = new LinkedHashSet<>(map.keySet());
        kinds.remove("at");
        Set<String> allowed = Set.of("spotStorm", "rebalanceWave", "deploy", "amiRelease", "imageDeregistered");
        if (kinds.size() != 1 || !allowed.contains(kinds.iterator().next())) {
            throw error(path, "`at` and exactly one of spotStorm, rebalanceWave, deploy, amiRelease, imageDeregistered",
                    String.join(", ", map.keySet()));
        }
        Duration at = duration(required(map, path, "at"), path + ".at");
        String kind = kinds.iterator().next();
        String inner = path + "." + kind;
        Map<String, Object> body = map(map.get(kind), inner);
        return switch (kind) {
            case "spotStorm" -> {
                known(body, inner, Set.of("count", "within", "clusters", "preferRecommended"));
                List<String> targets = clusters(body, inner, clusterNames);
                int count = integer(required(body, inner, "count"), inner + ".count", 1, MAX_INSTANCES);
                int spot = spotIn(clusters, targets);
                if (count > spot) {
                    throw error(inner + ".count", "at most the " + spot + " Spot instances of its clusters", Integer.toString(count));
                }
                boolean prefer = body.containsKey("preferRecommended") && bool(body.get("preferRecommended"), inner + ".preferRecommended");
                yield new SpotStorm(at, count, duration(required(body, inner, "within"), inner + ".within"), targets, prefer);
            }
            case "rebalanceWave" -> {
                known(body, inner, Set.of("count", "within", "clusters"));
                List<String> targets = clusters(body, inner, clusterNames);
                int count = integer(required(body, inner, "count"), inner + ".count", 1, MAX_INSTANCES);
                int spot = spotIn(clusters, targets);
                if (count > spot) {
                    throw error(inner + ".count", "at most the " + spot + " Spot instances of its clusters", Integer.toString(count));
                }
                yield new RebalanceWave(at, count, duration(required(body, inner, "within"), inner + ".within"), targets);
            }
            case "deploy" -> {
                known(body, inner, Set.of("service", "clusters"));
                List<String> targets = clusters(body, inner, clusterNames);
                String service = name(required(body, inner, "service"), inner + ".service");
                for (ClusterSpec cluster : clusters) {
                    boolean targeted = targets.isEmpty() || cluster.names().stream().anyMatch(targets::contains);
                    if (targeted && cluster.services().stream().noneMatch(s -> s.name().equals(service)) && !targets.isEmpty()) {
                        throw error(inner + ".service", "a service of every cluster named (" + cluster.name() + " has none of that name)", service);
                    }
                }
                if (clusters.stream().noneMatch(c -> c.services().stream().anyMatch(s -> s.name().equals(service)))) {
                    throw error(inner + ".service", "a service of the scenario", service);
                }
                yield new Deploy(at, targets, service);
            }
            case "imageDeregistered" -> {
                known(body, inner, Set.of("image"));
                yield new ImageDeregistered(at, imageName(required(body, inner, "image"), inner + ".image"));
            }
            default -> {
                known(body, inner, Set.of("parameter", "imageId", "image", "request"));
                String parameter = parameter(required(body, inner, "parameter"), inner + ".parameter");
                if (body.containsKey("imageId") == body.containsKey("image")) {
                    throw error(inner, "exactly one of imageId (an AMI id) and image (the name of a new image)",
                            String.join(", ", body.keySet()));
                }
                boolean request = !body.containsKey("request") || bool(body.get("request"), inner + ".request");
                if (body.containsKey("image")) {
                    yield new AmiRelease(at, parameter, null, imageName(body.get("image"), inner + ".image"), request);
                }
                String image = string(body.get("imageId"), inner + ".imageId");
                if (!AMI.matcher(image).matches()) {
                    throw error(inner + ".imageId", "an AMI id such as ami-0abcdef1234567890", image);
                }
                yield new AmiRelease(at, parameter, image, null, request);
            }
        };
    }

    private String imageName(Object value, String path) {
        String text = string(value, path);
        if (!IMAGE_NAME.matcher(text).matches()) {
            throw error(path, "an AMI name (3 to 128 letters, digits, spaces and ( ) [ ] . / ' @ _ -)", text);
        }
        return text;
    }

    /** An SSM parameter of one's own: AWS owns {@code /aws/} parameters and SSM refuses to write them. */
    private String parameter(Object value, String path) {
        String parameter = string(value, path);
        if (!PARAMETER.matcher(parameter).matches()) {
            throw error(path, "an SSM parameter name", parameter);
        }
        if (parameter.startsWith("/aws/")) {
            throw error(path, "a parameter of your own (AWS owns /aws/ parameters and SSM refuses to write them;"
                    + " name your golden image's parameter)", parameter);
        }
        return parameter;
    }

    /** The cluster names a timeline entry lists (a scenario cluster with copies stands for all of them); empty: every cluster. */
    private List<String> clusters(Map<String, Object> body, String path, Set<String> clusterNames) {
        if (!body.containsKey("clusters")) {
            return List.of();
        }
        List<Object> names = list(body.get("clusters"), path + ".clusters");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = string(names.get(i), path + ".clusters[" + i + "]");
            List<String> expanded = clusterNames.stream().filter(c -> c.equals(name) || c.matches(Pattern.quote(name) + "-\\d{2,}")).sorted().toList();
            if (expanded.isEmpty()) {
                throw error(path + ".clusters[" + i + "]", "a cluster of the scenario", name);
            }
            out.addAll(expanded);
        }
        return out;
    }

    private static int spotIn(List<ClusterSpec> clusters, List<String> targets) {
        int spot = 0;
        for (ClusterSpec cluster : clusters) {
            for (String name : cluster.names()) {
                if (targets.isEmpty() || targets.contains(name)) {
                    spot += cluster.spot();
                }
            }
        }
        return spot;
    }

    // --- typed reads, each naming the field on failure ---

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    throw error(path, "a mapping with text keys", String.valueOf(key));
                }
            }
            return (Map<String, Object>) map;
        }
        throw error(path, "a mapping (key: value lines)", shown(value));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value, String path) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw error(path, "a list", shown(value));
    }

    private Object required(Map<String, Object> map, String path, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "" : path + ".") + key + ": required, missing");
        }
        return value;
    }

    private void known(Map<String, Object> map, String path, Set<String> keys) {
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "" : path + ".") + key
                        + ": unknown key; " + (path.isEmpty() ? "the file" : path) + " takes " + String.join(", ", new TreeSet<>(keys)));
            }
        }
    }

    private String string(Object value, String path) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        throw error(path, "a text", shown(value));
    }

    private String name(Object value, String path) {
        String text = value instanceof Number ? value.toString() : string(value, path);
        if (!NAME.matcher(text).matches()) {
            throw error(path, "a name of letters, digits, - and _ (at most 200)", text);
        }
        return text;
    }

    private int integer(Object value, String path, int min, int max) {
        if (value instanceof Integer number && number >= min && number <= max) {
            return number;
        }
        throw error(path, "a whole number from " + min + " to " + max, shown(value));
    }

    private boolean bool(Object value, String path) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw error(path, "true or false", shown(value));
    }

    /** {@code 90s}, {@code 2m}, {@code 1h30m}, or a whole number of seconds. */
    private Duration duration(Object value, String path) {
        if (value instanceof Integer seconds && seconds >= 0) {
            return Duration.ofSeconds(seconds);
        }
        if (value instanceof String text) {
            Matcher matcher = DURATION.matcher(text.trim());
            if (!text.isBlank() && matcher.matches()) {
                long seconds = 0;
                int[] scale = {3600, 60, 1};
                for (int group = 1; group <= 3; group++) {
                    if (matcher.group(group) != null) {
                        seconds += Long.parseLong(matcher.group(group)) * scale[group - 1];
                    }
                }
                return Duration.ofSeconds(seconds);
            }
        }
        throw error(path, "a duration such as 90s, 2m or 1h30m", shown(value));
    }

    private IllegalArgumentException error(String path, String expected, String got) {
        return new IllegalArgumentException(file + ": " + path + ": " + expected + ", got " + got);
    }

    private static String shown(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value instanceof String ? "\"" + value + "\"" : value instanceof Map ? "a mapping" : value instanceof List ? "a list"
                : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
