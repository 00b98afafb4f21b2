package dev.deckhand.rebalance.planner;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A service and where its running tasks are.
 *
 * @param deploying       more than one deployment, or the primary one not COMPLETED: left alone
 * @param optedOut        tagged {@code deckhand:rebalance=false}
 * @param lastRebalanced  from its {@code deckhand:rebalanced-at} tag; null when never
 * @param cpu             CPU units one task reserves; {@code memory} MiB; {@code hostPorts} its static host ports
 * @param tasks           running task ARN -> container instance ARN (tasks on DRAINING instances included)
 * @param ecs             how ECS places and moves the service's tasks
 */
public record ServiceTasks(String name, int desired, int minimumHealthyPercent, boolean deploying, boolean daemon,
                           boolean optedOut, Instant lastRebalanced, int cpu, int memory, Set<Integer> hostPorts,
                           List<Placed> tasks, EcsPlacement ecs) {

    /** For a service with ECS's defaults: spread across zones, ECS deployment controller, no constraint. */
    public ServiceTasks(String name, int desired, int minimumHealthyPercent, boolean deploying, boolean daemon,
                        boolean optedOut, Instant lastRebalanced, int cpu, int memory, Set<Integer> hostPorts, List<Placed> tasks) {
        this(name, desired, minimumHealthyPercent, deploying, daemon, optedOut, lastRebalanced, cpu, memory, hostPorts, tasks,
                EcsPlacement.DEFAULT);
    }

    public record Placed(String taskArn, String nodeArn) {
    }

    /** One placement strategy: {@code spread} on {@code instanceId} / {@code host} / {@code attribute:...}, {@code binpack} on cpu / memory, {@code random}. */
    public record Strategy(String type, String field) {

        public static final String ZONE = "attribute:ecs.availability-zone";

        boolean spreads() {
            return "spread".equalsIgnoreCase(type);
        }

        boolean spreadsZones() {
            return spreads() && ZONE.equals(field);
        }

        @Override
        public String toString() {
            return field == null ? type : type + "(" + field + ")";
        }
    }

    /**
     * What ECS does with the service's tasks, as DescribeServices and the task definition say.
     *
     * @param strategies          placement strategies in order; ECS's default for a service is spread(zone)
     * @param controller          deployment controller type: ECS, CODE_DEPLOY or EXTERNAL
     * @param memberOf            memberOf expressions (service and task definition)
     * @param gpu                 a container requires GPUs
     * @param capacityProviders   the service's capacity provider strategy (provider names); empty with a launch type
     * @param azRebalancing       availabilityZoneRebalancing ENABLED: ECS evens the zones itself
     * @param azRebalanceUnderWay ECS's newest AZ rebalancing service event says it started and not yet that it completed
     */
    public record EcsPlacement(List<Strategy> strategies, String controller, List<String> memberOf, boolean gpu,
                               List<String> capacityProviders, boolean azRebalancing, boolean azRebalanceUnderWay) {

        public static final List<Strategy> SERVICE_DEFAULT_STRATEGY = List.of(new Strategy("spread", Strategy.ZONE));
        public static final EcsPlacement DEFAULT = new EcsPlacement(SERVICE_DEFAULT_STRATEGY, "ECS", List.of(), false, List.of(),
                false, false);

        public EcsPlacement withStrategies(List<Strategy> list) {
            return new EcsPlacement(list, controller, memberOf, gpu, capacityProviders, azRebalancing, azRebalanceUnderWay);
        }
    }
}
