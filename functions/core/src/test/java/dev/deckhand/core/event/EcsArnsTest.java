package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ECS Developer Guide, "Amazon Resource Names (ARNs) and IDs": the long and the short (pre-2021) service ARN. */
class EcsArnsTest {

    @Test
    void service_longArn_namesItsCluster_shortArnNone() {
        assertEquals(new EcsArns.Service("web", "api", "arn:aws:ecs:us-east-2:123456789012:service/web/api"),
                EcsArns.service(event("arn:aws:ecs:us-east-2:123456789012:service/web/api")));
        assertEquals(new EcsArns.Service(null, "api", "arn:aws:ecs:us-east-2:123456789012:service/api"),
                EcsArns.service(event("arn:aws:ecs:us-east-2:123456789012:service/api")));
    }

    @Test
    void service_refusesNoResourceAndAnotherKindOfArn() {
        assertEquals("event field `resources` must name the service",
                assertThrows(BadEventException.class, () -> EcsArns.service(event())).getMessage());
        assertEquals("event field `resources[0]` is not an ECS service ARN: arn:aws:ecs:us-east-2:123456789012:task/web/0123",
                assertThrows(BadEventException.class,
                        () -> EcsArns.service(event("arn:aws:ecs:us-east-2:123456789012:task/web/0123"))).getMessage());
    }

    @Test
    void clusterName_readsTheName_andRefusesAnythingElse() {
        assertEquals("web", EcsArns.clusterName("detail.clusterArn", "arn:aws:ecs:us-east-2:123456789012:cluster/web"));
        assertEquals("event field `detail.clusterArn` is missing",
                assertThrows(BadEventException.class, () -> EcsArns.clusterName("detail.clusterArn", null)).getMessage());
        assertThrows(BadEventException.class,
                () -> EcsArns.clusterName("detail.clusterArn", "arn:aws:ecs:us-east-2:123456789012:cluster/web<b>"));
    }

    private static EventEnvelope event(String... resources) {
        return new EventEnvelope("e1", "aws.ecs", "ECS Deployment State Change", "123456789012", "us-east-2", Instant.EPOCH,
                List.of(resources), null);
    }
}
