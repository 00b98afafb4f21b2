package dev.deckhand.local.scheduler;

import java.util.Map;

/**
 * What the local scheduler's last step read and left, per cluster: container instances by status
 * (ACTIVE, DRAINING, ...; instances that went away are gone) and running tasks by service, and
 * each EC2 instance's container instance status.
 * {@code deckhand simulate} samples it to chart a fleet over time without reading it again.
 */
public record FleetSnapshot(Map<String, Map<String, Integer>> instancesByStatus, Map<String, Map<String, Integer>> tasksByService,
                            Map<String, String> statusByInstance) {
}
