package dev.deckhand.ticket.sink;

/**
 * A cause as it may be shown: the original's class name and {@link Secret#redact redacted}
 * message, its stack frames, and its own cause redacted the same way. Lambda logs an invocation's
 * error with every cause's message, and the failure queue keeps it, so a library's exception that
 * names the URL it failed on (the JDK's URL connections do) never travels as it is.
 */
final class Redacted extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Causes followed; a longer (or circular) chain ends here. */
    private static final int MAX_DEPTH = 8;

    private Redacted(Throwable original, int depth) {
        super(original.getClass().getName() + (original.getMessage() == null ? "" : ": " + Secret.redact(original.getMessage())),
                depth < MAX_DEPTH ? of(original.getCause(), depth + 1) : null, false, true);
        setStackTrace(original.getStackTrace());
    }

    static Throwable of(Throwable original) {
        return of(original, 0);
    }

    private static Throwable of(Throwable original, int depth) {
        return original == null ? null : original instanceof Redacted ? original : new Redacted(original, depth);
    }

    /** The original's name and message, as {@link Throwable#toString()} would show them. */
    @Override
    public String toString() {
        return getMessage();
    }
}
