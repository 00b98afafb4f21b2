package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Pins emulator/python/deckhand_emulator/ecs_external.py to the Amazon ECS Developer Guide, "Amazon
 * ECS clusters for external instances" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-anywhere.html):
 * an ECS Anywhere instance, an SSM managed instance {@code mi-...} with no EC2 instance, registers as a
 * container instance and is described with that id as its {@code ec2InstanceId}.
 */
@Tag("emulator")
class EcsExternalInstanceFidelityTest extends EmptyAccountTest {

    @Test
    void externalInstance_registersWithoutAnEc2Instance_andIsDescribedByItsManagedInstanceId() {
        EcsClient ecs = aws.client(EcsClient.builder(), REGION);
        ecs.createCluster(r -> r.clusterName("edge"));

        String arn = ecs.registerContainerInstance(r -> r.cluster("edge")
                .instanceIdentityDocument("{\"instanceId\":\"mi-0123456789abcdef0\",\"region\":\"us-east-2\"}"))
                .containerInstance().containerInstanceArn();

        List<ContainerInstance> described = ecs.describeContainerInstances(r -> r.cluster("edge").containerInstances(arn)).containerInstances();
        assertEquals("mi-0123456789abcdef0", described.get(0).ec2InstanceId());
        assertEquals("ACTIVE", described.get(0).status());
    }
}
