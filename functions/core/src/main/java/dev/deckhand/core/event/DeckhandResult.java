package dev.deckhand.core.event;

/**
 * The head every function's result starts with, named the same way in each, so that a reader of
 * any result (an operator, {@code deckhand replay}, the simulation's summary) finds what happened
 * without knowing which function answered. {@link EventInvocation#run} writes the result as JSON and
 * adds {@code awsCalls} and {@code timing} after the function's own fields.
 *
 * <pre>{@code
 * public record RebalanceResult(String eventId, Trigger trigger, Outcome decision, String reason, boolean dryRun,
 *                               List<ClusterResult> clusters) implements DeckhandResult { ... }
 * }</pre>
 *
 * A record implements it with components of exactly these names, first and in this order; trigger
 * and decision are the function's own enums, whose constant names are the JSON values.
 */
public interface DeckhandResult {

    /** The id of the event the invocation handled (for a scheduled run without one, the run's id). */
    String eventId();

    /** What kind of event asked for the work (a Spot warning, a schedule, a finding, ...). */
    Enum<?> trigger();

    /**
     * What the function came to, one constant per case the function's README lists; a dry run's
     * change reads {@code DRY_RUN_...}. Null only where a result reports per item instead (a Health
     * change's instances).
     */
    Enum<?> decision();

    /** Why, in words an operator reads in the log line of the same decision. */
    String reason();

    /** DECKHAND_DRY_RUN was set: the decision is what would have been done; nothing was changed. */
    boolean dryRun();
}
