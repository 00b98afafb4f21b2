package dev.deckhand.drain.planner;

import java.time.Duration;

/**
 * What the planner needs to know of a task on a draining instance.
 *
 * @param group       ECS's task group: {@code service:NAME} for a service's task, {@code family:NAME}
 *                    for a standalone one
 * @param stopTimeout the longest container stop timeout in its task definition (ECS default 30 s)
 */
public record RunningTask(String taskArn, String group, Duration stopTimeout) {

    public boolean startedByService() {
        return group != null && group.startsWith("service:");
    }
}
