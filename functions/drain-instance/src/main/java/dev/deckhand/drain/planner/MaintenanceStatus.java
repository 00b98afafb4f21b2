package dev.deckhand.drain.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What EC2 describes of an instance (DescribeInstanceStatus): its state and its scheduled events,
 * read at each hop of a scheduled drain (has the change moved?) and while a maintenance is watched.
 *
 * @param instanceState the instance's state name ({@code running}, {@code stopped}, ...); null when EC2
 *                      no longer knows the instance
 * @param events        its scheduled events, completed ones included
 */
public record MaintenanceStatus(String instanceState, List<Event> events) {

    /** The event codes of maintenance the instance runs on after: reboots and system (power or network) maintenance. */
    static final Set<String> MAINTENANCE_CODES = Set.of("instance-reboot", "system-reboot", "system-maintenance");
    /** A start this close to the Health event's is the same start (the two services round differently). */
    static final Duration MOVE_TOLERANCE = Duration.ofMinutes(1);

    /**
     * One scheduled event (InstanceStatusEvent).
     *
     * @param code        {@code instance-reboot}, {@code system-reboot}, {@code system-maintenance}, ...
     * @param description EC2's text: "[Completed]" first once the event is done (API Reference,
     *                    InstanceStatusEvent); "[Canceled]" first is read the same way, though no API
     *                    page documents it
     * @param notBefore   its earliest start; null when EC2 gives none
     */
    public record Event(String code, String description, Instant notBefore) {

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

    /**
     * The start of the change when EC2 describes it moved (EC2 User Guide, "Reschedule a scheduled event
     * for an EC2 instance": a customer may move an event with a deadline to any time at least an hour
     * ahead, earlier or later): the earliest start of the instance's pending events of these codes, when
     * it is over a minute before or after {@code startAt}. Null otherwise: EC2 lists none (or one without
     * a start), or the earliest is the Health event's start; the drain then goes as planned.
     */
    public Instant movedTo(Set<String> codes, Instant startAt) {
        List<Instant> starts = events.stream().filter(event -> codes.contains(event.code()) && !event.over())
                .map(Event::notBefore).toList();
        if (starts.isEmpty() || starts.contains(null)) {
            return null;
        }
        Instant earliest = starts.stream().min(Instant::compareTo).orElseThrow();
        return Duration.between(startAt, earliest).abs().compareTo(MOVE_TOLERANCE) > 0 ? earliest : null;
    }
}
