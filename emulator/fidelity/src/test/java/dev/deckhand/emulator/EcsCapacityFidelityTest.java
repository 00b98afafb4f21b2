package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * Pins emulator/python/deckhand_emulator/ecs_capacity.py to the ECS API Reference
 * (RegisterContainerInstance): an instance registered with {@code totalResources} has those
 * resources registered and, with no task yet, all of them remaining.
 */
@Tag("emulator")
class EcsCapacityFidelityTest extends EmptyAccountTest {

    @Test
    void registerContainerInstance_withTotalResources_registersThem() {
        seed.cluster("web");
        Instance ec2 = seed.launch("a", false, null);
        EcsClient ecs = seed.ecs();
        String document = "{\"instanceId\":\"" + ec2.instanceId() + "\",\"availabilityZone\":\"us-east-2a\",\"region\":\"us-east-2\"}";

        ContainerInstance registered = ecs.registerContainerInstance(r -> r.cluster("web").instanceIdentityDocument(document)
                .totalResources(Resource.builder().name("CPU").type("INTEGER").integerValue(2048).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(3928).build())).containerInstance();

        ContainerInstance described = ecs.describeContainerInstances(r -> r.cluster("web")
                .containerInstances(registered.containerInstanceArn())).containerInstances().get(0);
        assertEquals(Map.of("CPU", 2048, "MEMORY", 3928), integers(described.registeredResources()));
        assertEquals(Map.of("CPU", 2048, "MEMORY", 3928), integers(described.remainingResources()));
    }

    private static Map<String, Integer> integers(java.util.List<Resource> resources) {
        return resources.stream().filter(r -> r.name().equals("CPU") || r.name().equals("MEMORY"))
                .collect(Collectors.toMap(Resource::name, Resource::integerValue));
    }
}
