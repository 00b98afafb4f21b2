package dev.deckhand.local.bench;

import dev.deckhand.rebalance.planner.Node;
import dev.deckhand.rebalance.planner.ServiceTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A large skewed cluster for rebalance-tasks' benchmark: tasks placed with a heavy bias towards
 * the first tenth of the instances (as after Spot replacements), three zones, minimum healthy 50%.
 */
record RebalanceScale(List<Node> nodes, List<ServiceTasks> services) {

    static RebalanceScale skewed(int instances, int serviceCount, int taskCount, Random random) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            nodes.add(new Node("arn:ci/" + i, "i-" + i, "us-east-2" + "abc".charAt(i % 3), 16_384, 16_384, 65_536, Set.of(), true));
        }
        List<List<ServiceTasks.Placed>> placed = new ArrayList<>();
        for (int s = 0; s < serviceCount; s++) {
            placed.add(new ArrayList<>());
        }
        int[] cpu = new int[instances];
        for (int t = 0; t < taskCount; t++) {
            int node = random.nextInt(3) == 0 ? random.nextInt(instances) : random.nextInt(instances / 10);
            placed.get(t % serviceCount).add(new ServiceTasks.Placed("task-" + t, "arn:ci/" + node));
            cpu[node] += 64;
        }
        List<Node> used = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            Node n = nodes.get(i);
            used.add(new Node(n.arn(), n.ec2InstanceId(), n.availabilityZone(), n.registeredCpu(), n.registeredCpu() - cpu[i],
                    n.freeMemory() - cpu[i], Set.of(), true));
        }
        List<ServiceTasks> services = new ArrayList<>();
        for (int s = 0; s < serviceCount; s++) {
            services.add(new ServiceTasks("svc-" + s, placed.get(s).size(), 50, false, false, false, null, 64, 64, Set.of(), placed.get(s)));
        }
        return new RebalanceScale(used, services);
    }
}
