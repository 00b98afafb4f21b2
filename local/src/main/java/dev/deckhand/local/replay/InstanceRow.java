package dev.deckhand.local.replay;

/** One container instance as replay shows it, before or after the event. */
public record InstanceRow(String cluster, String ec2InstanceId, String availabilityZone, String market, String status,
                          int runningTasks) {
}
