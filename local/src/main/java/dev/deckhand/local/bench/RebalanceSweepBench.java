package dev.deckhand.local.bench;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.rebalance.RebalanceConfig;
import dev.deckhand.rebalance.executor.ClusterTasksReader;
import dev.deckhand.rebalance.executor.RebalanceResult;
import dev.deckhand.rebalance.executor.Rebalancer;
import dev.deckhand.rebalance.planner.Budget;
import dev.deckhand.rebalance.planner.RebalancePlanner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * rebalance-tasks' sweep of one big cluster, measured on the emulator: 1,000 instances, 200
 * services of 100 tasks (20,000), placed with a bias to a tenth of the instances. Runs the real
 * reader, planner and executor in dry run and counts the AWS calls the SDK makes.
 */
final class RebalanceSweepBench {

    record Measured(int instances, int tasks, Map<String, Integer> calls, int wouldStop, Duration run, Duration seeding) {
    }

    static Measured run(LocalAws emulator, String region, int instanceCount, int serviceCount, int tasksPerService) {
        long seedStart = System.nanoTime();
        AccountSeeder seed = new AccountSeeder(emulator, region);
        seed.cluster("scale");
        List<AccountSeeder.SeededInstance> instances = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++) {
            instances.add(seed.instance("scale", i % 2 == 0 ? "a" : "b", true));
        }
        Random random = new Random(17);
        for (int s = 0; s < serviceCount; s++) {
            String name = "svc-" + s;
            String td = seed.taskDefinition(name, 16, 16, null);
            seed.service("scale", name, td, tasksPerService);
            seed.ecs().updateService(r -> r.cluster("scale").service(name).deploymentConfiguration(c -> c.minimumHealthyPercent(50)));
            List<String> batch = new ArrayList<>();
            String startedBy = seed.deploymentId("scale", name);
            for (int t = 0; t < tasksPerService; t++) {
                int node = random.nextInt(3) == 0 ? random.nextInt(instanceCount) : random.nextInt(Math.max(1, instanceCount / 10));
                batch.add(instances.get(node).containerInstanceArn());
                if (batch.size() == 10 || t == tasksPerService - 1) {
                    List<String> on = List.copyOf(batch);
                    seed.ecs().startTask(r -> r.cluster("scale").taskDefinition(td).containerInstances(on)
                            .group("service:" + name).startedBy(startedBy));
                    batch.clear();
                }
            }
            emulator.control("ecs/deployment", Map.of("region", region, "cluster", "scale", "service", name,
                    "deploymentId", startedBy, "rolloutState", "COMPLETED"));
        }
        Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);

        AwsCallCounter calls = new AwsCallCounter();
        EcsClient ecs = emulator.client(EcsClient.builder(), region, calls);
        RebalanceConfig config = new RebalanceConfig(ManagedClusters.of("scale"), true, region, new Budget(2, 10, Duration.ofMinutes(30)));
        Rebalancer rebalancer = new Rebalancer(ecs, new ClusterTasksReader(ecs, new TaskReader(ecs)), new RebalancePlanner(), config,
                new Metrics("rebalance-tasks", Clock.systemUTC()), Clock.systemUTC());
        long start = System.nanoTime();
        RebalanceResult.ClusterResult result = rebalancer.rebalance("scale", null, "bench");
        Duration run = Duration.ofNanos(System.nanoTime() - start);
        return new Measured(instanceCount, serviceCount * tasksPerService, calls.byOperation(), result.stopped().size(), run, seeding);
    }
}
