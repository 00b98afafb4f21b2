package dev.deckhand.local.simulate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A fleet and what happens to it: the parsed form of a scenario file (local/scenarios/README.md
 * documents the format; {@link ScenarioParser} reads it).
 *
 * @param tick     the local scheduler's step in simulated time
 * @param duration how long the simulation runs, in simulated time
 * @param seed       picks the instances each timeline entry hits, so a run can be repeated exactly
 * @param parameters template.yaml parameters for the run with Deckhand (a command line {@code --parameter} wins)
 */
public record Scenario(String name, String description, String region, Duration tick, Duration duration, long seed,
                       List<ClusterSpec> clusters, List<TimelineEntry> timeline, Map<String, String> parameters) {

    public Scenario(String name, String description, String region, Duration tick, Duration duration, long seed,
                    List<ClusterSpec> clusters, List<TimelineEntry> timeline) {
        this(name, description, region, tick, duration, seed, clusters, timeline, Map.of());
    }

    /**
     * One cluster, or {@code copies} identical clusters named {@code NAME-01}, {@code NAME-02}, ...
     *
     * @param zones       Availability Zone suffixes of the region ({@code a}, {@code b}, ...); instances go round them
     * @param cpu         CPU units each instance registers
     * @param memory      MiB each instance registers
     * @param replacement how long after an instance goes Auto Scaling has a replacement registered
     *                    (same zone and market), or null for none
     */
    /**
     * @param spotStopsFor null: a Spot interruption terminates the instance; otherwise its interruption
     *                     action is {@code stop}: EC2 stops it two minutes after the warning, and it runs
     *                     again (the same instance, the same container instance) this long after
     * @param amiParameter null: the On-Demand instances are launched on their own; otherwise they are an
     *                     Auto Scaling group's ({@code CLUSTER-asg}), launched from the launch template
     *                     {@code CLUSTER} that rotate-ami manages through this SSM parameter
     *                     (tag {@code deckhand:ami-parameter}); the group replaces what goes itself
     */
    public record ClusterSpec(String name, int copies, List<String> zones, int spot, int onDemand, int cpu, int memory,
                              Duration replacement, List<ServiceSpec> services, Duration spotStopsFor, String amiParameter) {

        public ClusterSpec(String name, int copies, List<String> zones, int spot, int onDemand, int cpu, int memory,
                           Duration replacement, List<ServiceSpec> services, Duration spotStopsFor) {
            this(name, copies, zones, spot, onDemand, cpu, memory, replacement, services, spotStopsFor, null);
        }

        public List<String> names() {
            if (copies == 1) {
                return List.of(name);
            }
            return IntStream.rangeClosed(1, copies).mapToObj(i -> String.format("%s-%02d", name, i)).toList();
        }

        public int instances() {
            return spot + onDemand;
        }
    }

    /** A REPLICA service on EC2, spread over zones then instances (ECS's default). */
    /** @param deregistrationDelaySeconds behind a load balancer: its target group's deregistration delay; null without one */
    public record ServiceSpec(String name, int desired, int cpu, int memory, int minimumHealthyPercent, int maximumPercent,
                              int stopTimeoutSeconds, Integer deregistrationDelaySeconds) {
    }

    /** Something that happens at {@code at} after the start. */
    public sealed interface TimelineEntry permits SpotStorm, RebalanceWave, Deploy, AmiRelease, ImageDeregistered {
        Duration at();

        String describe();
    }

    /**
     * EC2 sends Spot interruption warnings to {@code count} Spot instances spread over {@code within},
     * and reclaims each two minutes after its warning.
     *
     * @param clusters          the clusters whose instances are hit (scenario names, copies included); empty: all
     * @param preferRecommended hit instances that had a rebalance recommendation first, as EC2 tends to
     */
    public record SpotStorm(Duration at, int count, Duration within, List<String> clusters, boolean preferRecommended)
            implements TimelineEntry {
        public String describe() {
            return "Spot interruption storm: " + count + " instances within " + Text.duration(within);
        }
    }

    /** EC2 sends rebalance recommendations to {@code count} Spot instances over {@code within}; nothing is reclaimed. */
    public record RebalanceWave(Duration at, int count, Duration within, List<String> clusters) implements TimelineEntry {
        public String describe() {
            return "rebalance recommendation wave: " + count + " instances within " + Text.duration(within);
        }
    }

    /** A new deployment of {@code service} (UpdateService with forceNewDeployment) in each named cluster. */
    public record Deploy(Duration at, List<String> clusters, String service) implements TimelineEntry {
        public String describe() {
            return "deploy of " + service + " in " + (clusters.isEmpty() ? "every cluster" : String.join(", ", clusters));
        }
    }

    /**
     * A new AMI: the SSM parameter gets {@code imageId}, or the id of a new image named {@code imageName}
     * registered now (as an image pipeline publishes one); Parameter Store sends its {@code Parameter
     * Store Change}, and with {@code request} a {@code Deckhand AMI Refresh Requested} event (source
     * {@code deckhand}) is sent too.
     */
    public record AmiRelease(Duration at, String parameter, String imageId, String imageName, boolean request) implements TimelineEntry {

        public AmiRelease(Duration at, String parameter, String imageId) {
            this(at, parameter, imageId, null, true);
        }

        public String describe() {
            return "AMI release: " + parameter + " = " + (imageName != null ? "new image " + imageName : imageId)
                    + (request ? "" : " (the parameter's change only)");
        }
    }

    /** The image named {@code imageName} (released earlier in the timeline) is deregistered: launches from it fail from now on. */
    public record ImageDeregistered(Duration at, String imageName) implements TimelineEntry {
        public String describe() {
            return "image " + imageName + " deregistered";
        }
    }

    public int instanceCount() {
        return clusters.stream().mapToInt(c -> c.copies() * c.instances()).sum();
    }

    public int clusterCount() {
        return clusters.stream().mapToInt(ClusterSpec::copies).sum();
    }
}
