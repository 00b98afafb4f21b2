package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ManagedDraining;

/**
 * Pins emulator/python/deckhand_emulator/ecs_capacity_providers.py to AWS's documents:
 * <ul>
 * <li>"Managed instance draining is on by default when you create a capacity provider" (Amazon ECS
 * Developer Guide, Configuring Amazon ECS capacity providers to safely shut down instances,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/enable-managed-instance-draining.html):
 * DescribeCapacityProviders answers {@code managedDraining} ENABLED for a provider created without it,
 * DISABLED when created so, and UpdateCapacityProvider changes it (API Reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AutoScalingGroupProviderUpdate.html);</li>
 * <li>a container instance of an Auto Scaling group that is one of the cluster's capacity providers is
 * associated with it: DescribeContainerInstances names it in {@code capacityProviderName} ("The capacity
 * provider that's associated with the container instance",
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerInstance.html); an instance in
 * no such group has none.</li>
 * </ul>
 */
@Tag("emulator")
class EcsCapacityProviderFidelityTest extends EmptyAccountTest {


    @Test
    void managedDraining_isOnByDefault_andUpdatable_andTheInstancesOfItsGroupNameTheProvider() {
        EcsClient ecs = aws.client(EcsClient.builder(), REGION);
        AutoScalingClient autoscaling = aws.client(AutoScalingClient.builder(), REGION);
        Ec2Client ec2 = aws.client(Ec2Client.builder(), REGION);
        GroupSeeder groups = new GroupSeeder(autoscaling, ec2, REGION);
        AccountSeeder seed = new AccountSeeder(ecs, ec2, REGION);
        seed.cluster("web");
        AutoScalingGroup managed = groups.onDemand("managed-asg", 1, 2, java.util.Map.of());
        groups.onDemand("plain-asg", 1, 2, java.util.Map.of());

        ecs.createCapacityProvider(r -> r.name("managed-cp").autoScalingGroupProvider(p -> p.autoScalingGroupArn(managed.autoScalingGroupARN())));
        ecs.createCapacityProvider(r -> r.name("undrained-cp").autoScalingGroupProvider(p -> p.autoScalingGroupArn("plain-asg")
                .managedDraining(ManagedDraining.DISABLED)));
        ecs.putClusterCapacityProviders(r -> r.cluster("web").capacityProviders("managed-cp", "undrained-cp")
                .defaultCapacityProviderStrategy(s -> s.capacityProvider("managed-cp").weight(1)));

        assertEquals(ManagedDraining.ENABLED, drainingOf(ecs, "managed-cp"), "on by default");
        assertEquals(ManagedDraining.DISABLED, drainingOf(ecs, "undrained-cp"));
        ecs.updateCapacityProvider(r -> r.name("undrained-cp").autoScalingGroupProvider(p -> p.managedDraining(ManagedDraining.ENABLED)));
        assertEquals(ManagedDraining.ENABLED, drainingOf(ecs, "undrained-cp"));
        ecs.updateCapacityProvider(r -> r.name("undrained-cp").autoScalingGroupProvider(p -> p.managedDraining(ManagedDraining.DISABLED)));
        assertEquals(ManagedDraining.DISABLED, drainingOf(ecs, "undrained-cp"));

        String inGroup = groups.describe("managed-asg").instances().get(0).instanceId();
        String alone = seed.launch("a", false, null).instanceId();
        assertEquals("managed-cp", register(ecs, "web", inGroup).capacityProviderName());
        assertNull(register(ecs, "web", alone).capacityProviderName(), "in no capacity provider's group");
    }

    private static ManagedDraining drainingOf(EcsClient ecs, String name) {
        return ecs.describeCapacityProviders(r -> r.capacityProviders(name)).capacityProviders().get(0)
                .autoScalingGroupProvider().managedDraining();
    }

    private static ContainerInstance register(EcsClient ecs, String cluster, String instanceId) {
        String document = "{\"instanceId\":\"" + instanceId + "\",\"availabilityZone\":\"us-east-2a\",\"region\":\"us-east-2\"}";
        String arn = ecs.registerContainerInstance(r -> r.cluster(cluster).instanceIdentityDocument(document)).containerInstance()
                .containerInstanceArn();
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arn)).containerInstances().get(0);
    }
}
