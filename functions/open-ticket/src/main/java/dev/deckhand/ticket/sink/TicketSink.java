package dev.deckhand.ticket.sink;

import dev.deckhand.ticket.planner.Ticket;
import java.util.List;

/**
 * Where tickets go. {@link #publish} finds the ticket by its fingerprint first, so the same
 * ticket published any number of times is one ticket: created once, then updated when its body
 * changed, or left alone. A ticket marked {@code close} closes (or comments on) what it finds.
 */
public interface TicketSink {

    String name();

    /** Reads only and says what it would do. */
    SinkResult preview(Ticket ticket);

    SinkResult publish(Ticket ticket);

    /**
     * The fingerprints of the open tickets carrying the group label {@code group} ({@link Ticket#group}),
     * with one search: the launch failures of a group that launches again. Empty when none is open.
     */
    List<String> openInGroup(String group);
}
