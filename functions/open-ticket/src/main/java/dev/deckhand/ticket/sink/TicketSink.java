package dev.deckhand.ticket.sink;

import dev.deckhand.ticket.planner.Ticket;

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
}
