package dev.deckhand.drain.executor;

import dev.deckhand.core.aws.FoundInstance;
import dev.deckhand.drain.planner.CapacityProviderView;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.ManagedDraining;

/**
 * The capacity provider of a container instance ({@code capacityProviderName}, API Reference,
 * ContainerInstance), described with DescribeCapacityProviders. An instance with none costs no call;
 * each provider is read once per cluster per invocation (the handler calls {@link #forget} as each
 * invocation starts), so an AWS Health event naming many instances of one cluster reads it once.
 *
 * <pre>{@code
 * CapacityProviderView provider = providers.of(found);   // null: no capacity provider
 * }</pre>
 */
public final class CapacityProviders {

    private final EcsClient ecs;
    /** cluster -> provider name -> what was read (empty: ECS does not know it). */
    private final Map<String, Map<String, Optional<CapacityProviderView>>> read = new HashMap<>();

    public CapacityProviders(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** Drops what earlier invocations read: a provider's managed draining may have changed since. */
    public void forget() {
        read.clear();
    }

    public CapacityProviderView of(FoundInstance found) {
        String name = found.containerInstance().capacityProviderName();
        if (name == null || name.isBlank()) {
            return null;
        }
        return read.computeIfAbsent(found.cluster(), cluster -> new HashMap<>())
                .computeIfAbsent(name, this::describe).orElse(null);
    }

    private Optional<CapacityProviderView> describe(String name) {
        return ecs.describeCapacityProviders(r -> r.capacityProviders(name)).capacityProviders().stream()
                .findFirst().map(CapacityProviders::view);
    }

    private static CapacityProviderView view(CapacityProvider provider) {
        AutoScalingGroupProvider group = provider.autoScalingGroupProvider();
        return new CapacityProviderView(provider.name(), group != null,
                group != null && group.managedDraining() == ManagedDraining.ENABLED);
    }
}
