package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Pins emulator/python/deckhand_emulator/ecs_tags.py to the ECS API Reference: container instances
 * take tags; DescribeContainerInstances shows them only with include TAGS; a key tagged again is replaced.
 */
@org.junit.jupiter.api.Tag("emulator")
class EcsTagFidelityTest extends EmptyAccountTest {

    @Test
    void containerInstanceTags_areStored_replacedByKey_andDescribedOnlyWhenAsked() {
        seed.cluster("batch");
        SeededInstance instance = seed.instance("batch", "a", true);
        EcsClient ecs = seed.ecs();

        ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn()).tags(Tag.builder().key("deckhand:drained-by").value("one").build()));
        ecs.tagResource(r -> r.resourceArn(instance.containerInstanceArn()).tags(Tag.builder().key("deckhand:drained-by").value("two").build()));

        assertEquals(List.of(Tag.builder().key("deckhand:drained-by").value("two").build()),
                ecs.listTagsForResource(r -> r.resourceArn(instance.containerInstanceArn())).tags());
        ContainerInstance plain = ecs.describeContainerInstances(r -> r.cluster("batch")
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0);
        ContainerInstance withTags = ecs.describeContainerInstances(r -> r.cluster("batch")
                .containerInstances(instance.containerInstanceArn()).include(ContainerInstanceField.TAGS)).containerInstances().get(0);
        assertTrue(plain.tags().isEmpty());
        assertEquals("two", withTags.tags().get(0).value());
    }
}
