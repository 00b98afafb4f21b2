package dev.deckhand.rebalance.planner;

import java.util.List;

/**
 * The one request rebalance-tasks' handler parses every event into.
 *
 * <pre>{@code
 * RebalanceRequest.deploymentCompleted(eventId, "demo-web", "web-frontend");
 * RebalanceRequest.newCapacity(eventId, "demo-web");
 * RebalanceRequest.sweep(eventId);                                   // every managed cluster
 * RebalanceRequest.nothingToDo(eventId, Trigger.NEW_CAPACITY, why);  // an event that asks for nothing
 * }</pre>
 *
 * @param clusters    the clusters named by the event; null for every managed cluster (the sweep)
 * @param service     the one service to rebalance; null for every service of each cluster
 * @param nothingToDo why the event asks for nothing (no AWS call is made); null when it asks for a rebalance
 */
public record RebalanceRequest(String eventId, Trigger trigger, List<String> clusters, String service, String nothingToDo) {

    public RebalanceRequest {
        clusters = clusters == null ? null : List.copyOf(clusters);
    }

    public static RebalanceRequest deploymentCompleted(String eventId, String cluster, String service) {
        return new RebalanceRequest(eventId, Trigger.DEPLOYMENT_COMPLETED, List.of(cluster), service, null);
    }

    public static RebalanceRequest newCapacity(String eventId, String cluster) {
        return new RebalanceRequest(eventId, Trigger.NEW_CAPACITY, List.of(cluster), null, null);
    }

    public static RebalanceRequest sweep(String eventId) {
        return new RebalanceRequest(eventId, Trigger.SWEEP, null, null, null);
    }

    public static RebalanceRequest nothingToDo(String eventId, Trigger trigger, String why) {
        return new RebalanceRequest(eventId, trigger, List.of(), null, why);
    }

    /** True for the sweep: every managed cluster, listed when it runs. */
    public boolean everyManagedCluster() {
        return clusters == null;
    }
}
