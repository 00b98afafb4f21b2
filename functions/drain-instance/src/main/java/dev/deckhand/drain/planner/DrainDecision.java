package dev.deckhand.drain.planner;

/** What to do with one instance, and why, in words an operator reads in the log. */
public record DrainDecision(DrainOutcome verdict, String reason) {
}
