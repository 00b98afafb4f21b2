package dev.deckhand.rebalance.planner;

import java.util.Set;

/**
 * A container instance as the planner sees it.
 *
 * @param eligible   ACTIVE with its agent connected: the scheduler may place tasks on it
 * @param usedPorts  host ports taken by its tasks
 */
public record Node(String arn, String ec2InstanceId, String availabilityZone, int registeredCpu, int freeCpu,
                   int freeMemory, Set<Integer> usedPorts, boolean eligible) {

    public int reservedCpu() {
        return registeredCpu - freeCpu;
    }
}
