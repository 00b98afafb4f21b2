package dev.deckhand.core.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Reads tasks the way the ECS API allows: ListTasks paginated, DescribeTasks by 100. Task
 * definitions are immutable, so each is described once per container and remembered.
 */
public final class TaskReader {

    static final int DESCRIBE_BATCH = 100;
    private static final int TASK_DEFINITION_CACHE_LIMIT = 2_000;

    private final EcsClient ecs;
    private final Map<String, TaskDefinition> taskDefinitions = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TaskDefinition> eldest) {
                    return size() > TASK_DEFINITION_CACHE_LIMIT;
                }
            });

    public TaskReader(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** The tasks with desired status RUNNING on one container instance. */
    public List<Task> runningOn(String cluster, String containerInstanceArn) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(ListTasksRequest.builder().cluster(cluster).containerInstance(containerInstanceArn).build())
                .taskArns().forEach(arns::add);
        return describe(cluster, arns);
    }

    /**
     * How many tasks are still on a container instance: the instance's own counts (runningTasksCount
     * counts the tasks whose <em>desired</em> status is RUNNING, pendingTasksCount those PENDING),
     * and, when both are zero, the tasks ECS is stopping that are not STOPPED yet. A task stopped for
     * a drain leaves runningTasksCount at once, while it is still DEACTIVATING (its load balancer's
     * deregistration delay, 300 s by default) and then STOPPING (SIGTERM, then its stopTimeout): it
     * still serves, and its instance is not drained until it is STOPPED ("Amazon ECS task lifecycle",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html;
     * API Reference, ContainerInstance). Costs no call when the counts say tasks are there; otherwise
     * ListTasks with desiredStatus STOPPED (recently stopped tasks are listed too) and DescribeTasks
     * per 100 of them, for their lastStatus.
     */
    public int tasksLeftOn(String cluster, ContainerInstance instance) {
        int counted = (instance.runningTasksCount() == null ? 0 : instance.runningTasksCount())
                + (instance.pendingTasksCount() == null ? 0 : instance.pendingTasksCount());
        if (counted > 0) {
            return counted;
        }
        return stoppingOn(cluster, instance.containerInstanceArn()).size();
    }

    /** The tasks on one container instance that ECS set to STOPPED and whose lastStatus is not STOPPED yet. */
    public List<Task> stoppingOn(String cluster, String containerInstanceArn) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(ListTasksRequest.builder().cluster(cluster).containerInstance(containerInstanceArn)
                .desiredStatus(DesiredStatus.STOPPED).build()).taskArns().forEach(arns::add);
        List<Task> stopping = new ArrayList<>();
        for (Task task : describe(cluster, arns)) {
            if (!"STOPPED".equals(task.lastStatus())) {
                stopping.add(task);
            }
        }
        return stopping;
    }

    public List<Task> describe(String cluster, List<String> taskArns) {
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < taskArns.size(); from += DESCRIBE_BATCH) {
            List<String> batch = taskArns.subList(from, Math.min(from + DESCRIBE_BATCH, taskArns.size()));
            tasks.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks());
        }
        return tasks;
    }

    public TaskDefinition taskDefinition(String arn) {
        TaskDefinition known = taskDefinitions.get(arn);
        if (known != null) {
            return known;
        }
        TaskDefinition described = ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
        taskDefinitions.put(arn, described);
        return described;
    }
}
