package dev.deckhand.rebalance.handler;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;

/**
 * The detail of {@code aws.ecs} / {@code ECS Deployment State Change}; the service is the event's
 * {@code resources[0]}. Example (ECS Developer Guide, service deployment state change events):
 *
 * <pre>{@code
 * "resources": ["arn:aws:ecs:us-east-2:123456789012:service/demo-web/web-frontend"],
 * "detail": {"eventType": "INFO", "eventName": "SERVICE_DEPLOYMENT_COMPLETED",
 *            "deploymentId": "ecs-svc/123", "updatedAt": "2026-11-22T09:59:20.000Z",
 *            "reason": "ECS deployment ecs-svc/123 completed."}
 * }</pre>
 */
record DeploymentStateChange(String eventType, String eventName, String deploymentId) {

    static final String COMPLETED = "SERVICE_DEPLOYMENT_COMPLETED";

    public DeploymentStateChange {
        if (eventName == null) {
            throw new BadEventException("event field `detail.eventName` is missing");
        }
        if (!COMPLETED.equals(eventName)) {
            throw new BadEventException("event field `detail.eventName` is " + EventParser.abbreviate(eventName)
                    + "; rebalance-tasks acts only on " + COMPLETED);
        }
    }
}
