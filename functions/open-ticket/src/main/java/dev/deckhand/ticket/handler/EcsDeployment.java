package dev.deckhand.ticket.handler;

import java.util.regex.Pattern;

/**
 * The detail of {@code aws.ecs} / {@code ECS Deployment State Change}; the service is the event's
 * {@code resources[0]}. Example (ECS Developer Guide, service deployment state change events):
 *
 * <pre>{@code
 * "resources": ["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"],
 * "detail": {"eventType": "ERROR", "eventName": "SERVICE_DEPLOYMENT_FAILED", "deploymentId": "ecs-svc/123",
 *            "updatedAt": "2020-05-23T11:11:11Z", "reason": "ECS deployment circuit breaker: task failed to start."}
 * }</pre>
 */
record EcsDeployment(String eventType, String eventName, String deploymentId, String updatedAt, String reason) {

    private static final Pattern DEPLOYMENT_ID = Pattern.compile("ecs-svc/[0-9]{1,40}");

    EcsDeployment {
        EventFieldChecks.require("detail.eventName", eventName);
        EventFieldChecks.matching("detail.deploymentId", deploymentId, DEPLOYMENT_ID, 48,
                "an ECS deployment id (ecs-svc/<digits>)");
        EventFieldChecks.text("detail.reason", reason, 2048);
    }
}
