package dev.deckhand.drain.planner;

import java.util.List;
import java.util.Set;

/**
 * What EC2 describes of an instance drained for maintenance (DescribeInstanceStatus): its state and
 * its scheduled events.
 *
 * @param instanceState the instance's state name ({@code running}, {@code stopped}, ...); null when EC2
 *                      no longer knows the instance
 * @param events        its scheduled events, completed ones included
 */
public record MaintenanceStatus(String instanceState, List<Event> events) {

    /** The event codes of maintenance the instance runs on after: reboots and system (power or network) maintenance. */
    static final Set<String> MAINTENANCE_CODES = Set.of("instance-reboot", "system-reboot", "system-maintenance");

    /**
     * One scheduled event (InstanceStatusEvent).
     *
     * @param code        {@code instance-reboot}, {@code system-reboot}, {@code system-maintenance}, ...
     * @param description EC2's text: "[Completed]" first once the event is done (API Reference,
     *                    InstanceStatusEvent); "[Canceled]" first is read the same way, though no API
     *                    page documents it
     */
    public record Event(String code, String description) {

        boolean over() {
            return description != null && (description.startsWith("[Completed]") || description.startsWith("[Canceled]"));
        }
    }

    public MaintenanceStatus {
        events = List.copyOf(events);
    }

    /** True while a reboot or maintenance of the instance is still ahead or under way. */
    public boolean maintenancePending() {
        return events.stream().anyMatch(event -> MAINTENANCE_CODES.contains(event.code()) && !event.over());
    }
}
