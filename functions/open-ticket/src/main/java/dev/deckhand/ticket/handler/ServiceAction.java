package dev.deckhand.ticket.handler;

import dev.deckhand.core.event.EcsArns;
import java.util.List;

/**
 * The detail of {@code aws.ecs} / {@code ECS Service Action}; the service is {@code resources[0]}.
 * Example (ECS Developer Guide, service action events):
 *
 * <pre>{@code
 * "resources": ["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"],
 * "detail": {"eventType": "ERROR", "eventName": "SERVICE_TASK_PLACEMENT_FAILURE",
 *            "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/default",
 *            "capacityProviderArns": ["arn:aws:ecs:us-west-2:111122223333:capacity-provider/ASG-tutorial-capacity-provider"],
 *            "reason": "RESOURCE:MEMORY", "createdAt": "2019-11-19T19:55:38.725Z"}
 * }</pre>
 */
record ServiceAction(String eventType, String eventName, String clusterArn, String reason, String createdAt,
                     List<String> capacityProviderArns) {

    ServiceAction {
        EventFieldChecks.require("detail.eventName", eventName);
        EcsArns.clusterName("detail.clusterArn", clusterArn);
        EventFieldChecks.text("detail.reason", reason, 2048);
    }
}
