package dev.deckhand.local.scheduler;

import java.time.Instant;

/**
 * One thing the local scheduler did, at simulated time {@code at}: the timeline replay prints and
 * simulate measures.
 */
public record SchedulerEvent(Instant at, Kind kind, String cluster, String service, String ec2InstanceId, String taskArn,
                             String detail) {

    public enum Kind {
        /** A service task started (a replacement, a new deployment's task, or to reach the desired count). */
        TASK_STARTED,
        /** A service task stopped gracefully by the scheduler (drained, replaced, scaled in). */
        TASK_STOPPED,
        /** A task that died with its instance while RUNNING. */
        TASK_KILLED,
        /**
         * A task the scheduler was stopping gracefully (DEACTIVATING for its target group's deregistration
         * delay, or STOPPING for its stopTimeout) that died with its instance before it was STOPPED.
         */
        TASK_CUT_SHORT,
        /** An EC2 instance went away (Spot reclaim, termination). */
        INSTANCE_TERMINATED,
        /** An EC2 instance stopped (a Spot interruption with action stop): its tasks died, its container instance stays. */
        INSTANCE_STOPPED,
        /** A stopped EC2 instance runs again; its ECS agent reconnects the same container instance. */
        INSTANCE_STARTED,
        /** A deployment reached its desired count on the new task definition. */
        DEPLOYMENT_COMPLETED,
        /** A task could not be placed: no ACTIVE instance has room. */
        TASK_UNPLACEABLE,
        /** A standalone task ended on its own (its job was done). */
        TASK_FINISHED,
        /** A new instance's ECS agent registered it in its cluster. */
        INSTANCE_REGISTERED,
        /** Auto Scaling recorded a heartbeat for a lifecycle hook. */
        HOOK_HEARTBEAT,
        /** A lifecycle hook was completed (CONTINUE or ABANDON). */
        HOOK_COMPLETED
    }
}
