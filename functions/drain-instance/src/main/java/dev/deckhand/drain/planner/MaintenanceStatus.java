package dev.deckhand.drain.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What EC2 describes of an instance (DescribeInstanceStatus): its state and its scheduled events,
 * read at a scheduled drain's time (has the change moved?) and while a maintenance is watched.
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
     * The start of the change when EC2 describes it moved later than {@code startAt}: the instance
     * has pending events of these codes, and every one starts over a minute after {@code startAt}.
     * Null otherwise (one starts by then, or EC2 lists none: the drain goes as planned).
     */
    public Instant movedLater(Set<String> codes, Instant startAt) {
        List<Instant> starts = events.stream().filter(event -> codes.contains(event.code()) && !event.over())
                .map(Event::notBefore).toList();
        if (starts.isEmpty() || starts.stream().anyMatch(start -> start == null || !start.isAfter(startAt.plus(MOVE_TOLERANCE)))) {
            return null;
        }
        return starts.stream().min(Instant::compareTo).orElseThrow();
    }
}
