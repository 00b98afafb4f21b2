package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;

/**
 * Pins emulator/python/deckhand_emulator/ecs_registration.py to the Amazon ECS API Reference,
 * RegisterContainerInstance (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterContainerInstance.html):
 * {@code containerInstanceArn} is "The ARN of the container instance (if it was previously registered)",
 * so registering again with it answers that same container instance; the errors it lists include
 * ClusterNotFoundException, "The specified cluster wasn't found" (a client error, not a server one).
 */
@Tag("emulator")
class EcsRegistrationFidelityTest extends EmptyAccountTest {

    private EcsClient ecs;
    /** The identity document of a running EC2 instance, as its agent sends it. */
    private String document;

    @BeforeEach
    void anInstanceRunning() {
        ecs = aws.client(EcsClient.builder(), REGION);
        String instanceId = aws.client(Ec2Client.builder(), REGION)
                .runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1)).instances().get(0).instanceId();
        document = "{\"instanceId\":\"" + instanceId + "\",\"region\":\"us-east-2\"}";
    }

    @Test
    void registeringAgain_withThePreviousArn_answersTheSameContainerInstance() {
        ecs.createCluster(r -> r.clusterName("batch"));
        String first = ecs.registerContainerInstance(r -> r.cluster("batch").instanceIdentityDocument(document))
                .containerInstance().containerInstanceArn();

        String again = ecs.registerContainerInstance(r -> r.cluster("batch").instanceIdentityDocument(document)
                .containerInstanceArn(first)).containerInstance().containerInstanceArn();

        assertEquals(first, again);
        assertEquals(1, ecs.listContainerInstances(r -> r.cluster("batch")).containerInstanceArns().size());
        assertEquals(1, ecs.describeClusters(r -> r.clusters("batch")).clusters().get(0).registeredContainerInstancesCount());
    }

    @Test
    void registering_inAClusterThatDoesNotExist_isClusterNotFound() {
        assertThrows(ClusterNotFoundException.class, () -> ecs.registerContainerInstance(r -> r.cluster("nowhere")
                .instanceIdentityDocument(document)));
    }
}
