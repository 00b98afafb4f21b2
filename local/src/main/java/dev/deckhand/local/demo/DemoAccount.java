package dev.deckhand.local.demo;

import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.AccountSeeder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The demo account `deckhand replay` starts with: two clusters, eleven instances (Spot and
 * On-Demand, two AZs), three services with running tasks, and one standalone task.
 *
 * <pre>
 * demo-web    7 instances: a: spot, spot, on-demand   b: spot, spot, on-demand, on-demand (new, empty)
 *             web-frontend x6 unevenly (2, 1, 0 | 2, 1, 0, 0), web-api x4; both minimumHealthyPercent 50
 * demo-batch  4 instances: a: i-1234567890abcdef0 (spot), on-demand   b: spot, spot
 *             batch-worker x4 (stop timeout 120 s), nightly-report (standalone) on i-1234567890abcdef0
 * </pre>
 *
 * i-1234567890abcdef0 is the instance AWS's documented sample events name, so every sample in
 * events/ finds it. Auto Scaling group demo-batch-asg has Deckhand's two lifecycle hooks
 * (deckhand-drain, deckhand-launch; 180 s heartbeat timeout), and i-0a1b2c3d4e5f67890 is launching
 * into demo-batch (its agent registers it some seconds after its launch hook fires).
 * nightly-report finishes its job four minutes after a replayed event.
 */
public final class DemoAccount {

    public static final String SAMPLE_INSTANCE_ID = "i-1234567890abcdef0";
    public static final List<String> CLUSTERS = List.of("demo-web", "demo-batch");
    public static final String LAUNCHING_INSTANCE_ID = "i-0a1b2c3d4e5f67890";
    /** Just joined demo-web, empty: the new-capacity sample names it. */
    public static final String NEW_CAPACITY_INSTANCE_ID = "i-0b2c3d4e5f6a78901";
    public static final String ASG = "demo-batch-asg";
    /** Short, so a replay shows heartbeats within minutes. */
    public static final int HOOK_TIMEOUT_SECONDS = 180;
    public static final String STANDALONE_GROUP = "family:nightly-report";
    public static final Duration STANDALONE_RUNS_FOR = Duration.ofMinutes(4);

    private DemoAccount() {
    }

    public static void seed(AccountSeeder seed) {
        seed.cluster("demo-web");
        List<SeededInstance> web = new ArrayList<>();
        web.add(seed.instance("demo-web", "a", true));
        web.add(seed.instance("demo-web", "a", true));
        web.add(seed.instance("demo-web", "a", false));
        web.add(seed.instance("demo-web", "b", true));
        web.add(seed.instance("demo-web", "b", true));
        web.add(seed.instance("demo-web", "b", false));
        String frontend = seed.taskDefinition("web-frontend", 256, 512, 30);
        String api = seed.taskDefinition("web-api", 512, 1024, 30);
        seed.service("demo-web", "web-frontend", frontend, 6);
        seed.service("demo-web", "web-api", api, 4);
        // Uneven, as after a Spot replacement: two on some instances, none on others.
        seed.serviceTasks("demo-web", "web-frontend", frontend, List.of(web.get(0), web.get(0), web.get(1), web.get(3), web.get(3), web.get(4)));
        for (String service : List.of("web-frontend", "web-api")) {
            seed.ecs().updateService(r -> r.cluster("demo-web").service(service)
                    .deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(200)));
        }
        seed.instance("demo-web", "b", false, NEW_CAPACITY_INSTANCE_ID);
        seed.serviceTasks("demo-web", "web-api", api, List.of(web.get(0), web.get(3), web.get(1), web.get(4)));

        seed.cluster("demo-batch");
        SeededInstance sample = seed.instance("demo-batch", "a", true, SAMPLE_INSTANCE_ID);
        List<SeededInstance> batch = List.of(sample, seed.instance("demo-batch", "a", false),
                seed.instance("demo-batch", "b", true), seed.instance("demo-batch", "b", true));
        String worker = seed.taskDefinition("batch-worker", 1024, 2048, 120);
        seed.service("demo-batch", "batch-worker", worker, 4);
        seed.serviceTasks("demo-batch", "batch-worker", worker, batch);
        seed.standaloneTask("demo-batch", seed.taskDefinition("nightly-report", 512, 1024, null), sample);
        seed.launch("b", false, LAUNCHING_INSTANCE_ID, "ECS_CLUSTER=demo-batch\n");
        DemoRotation.seed(seed);
    }

    public static void seedHooks(AutoScalingClient autoscaling) {
        HoldCapacityDemo.seed(autoscaling);
        // The hooks' group, as the operator tags a managed cluster's groups (Deckhand's IAM is scoped by it).
        HoldCapacityDemo.group(autoscaling, ASG, 0, 0, 6,
                List.of(HoldCapacityDemo.tag(ASG, AccountSeeder.CLUSTER_TAG, "demo-batch")));
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName(ASG).lifecycleHookName("deckhand-drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(HOOK_TIMEOUT_SECONDS)
                .defaultResult("CONTINUE"));
        autoscaling.putLifecycleHook(r -> r.autoScalingGroupName(ASG).lifecycleHookName("deckhand-launch")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_LAUNCHING").heartbeatTimeout(HOOK_TIMEOUT_SECONDS)
                .defaultResult("ABANDON"));
    }
}
