package dev.deckhand.drain.planner;

/**
 * A container instance's capacity provider, as far as draining goes: read from ECS's
 * DescribeCapacityProviders by the executor, judged by {@link DrainPlanner#leftToEcs}.
 *
 * @param name             the capacity provider's name
 * @param autoScalingGroup true for an Auto Scaling group capacity provider ({@code autoScalingGroupProvider} set)
 * @param managedDraining  its {@code autoScalingGroupProvider.managedDraining} is ENABLED
 */
public record CapacityProviderView(String name, boolean autoScalingGroup, boolean managedDraining) {
}
