package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * A stopped instance that runs again is the same container instance, still DRAINING, with its tags:
 * "the container instance remains in a DRAINING state until it is activated again or deleted"
 * (Amazon ECS Developer Guide, "Draining Amazon ECS container instances",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html).
 * Stopping and starting an EC2 instance does not deregister it; the agent reconnects with the same
 * container instance ARN. moto keeps container instances apart from EC2 state, so this pins it.
 */
@org.junit.jupiter.api.Tag("emulator")
class EcsStopStartFidelityTest extends EmptyAccountTest {

    @Test
    void drainedInstance_stoppedAndStartedAgain_staysDraining_withItsTags() {
        seed.cluster("batch");
        SeededInstance instance = seed.instance("batch", "a", false);
        EcsClient ecs = seed.ecs();
        Ec2Client ec2 = seed.ec2();
        ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn())
                .tags(Tag.builder().key("deckhand:drained-by").value("STATE_CHANGE").build()));
        ecs.updateContainerInstancesState(r -> r.cluster("batch").containerInstances(instance.containerInstanceArn())
                .status(ContainerInstanceStatus.DRAINING));

        ec2.stopInstances(r -> r.instanceIds(instance.ec2InstanceId()));
        ec2.startInstances(r -> r.instanceIds(instance.ec2InstanceId()));

        assertEquals(InstanceStateName.RUNNING, ec2.describeInstances(r -> r.instanceIds(instance.ec2InstanceId()))
                .reservations().get(0).instances().get(0).state().name());
        List<ContainerInstance> described = ecs.describeContainerInstances(r -> r.cluster("batch")
                .containerInstances(instance.containerInstanceArn()).include(ContainerInstanceField.TAGS)).containerInstances();
        assertEquals(1, described.size());
        assertEquals(instance.ec2InstanceId(), described.get(0).ec2InstanceId());
        assertEquals("DRAINING", described.get(0).status());
        assertEquals(List.of(Tag.builder().key("deckhand:drained-by").value("STATE_CHANGE").build()), described.get(0).tags());
        assertEquals(List.of(instance.containerInstanceArn()),
                ecs.listContainerInstances(r -> r.cluster("batch").filter("ec2InstanceId == " + instance.ec2InstanceId()))
                        .containerInstanceArns());
    }
}
