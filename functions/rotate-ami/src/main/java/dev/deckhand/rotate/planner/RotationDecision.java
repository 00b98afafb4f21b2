package dev.deckhand.rotate.planner;

/** What a run of rotate-ami came to (the result's {@code decision}). */
public enum RotationDecision {
    /** No launch template is tagged {@code deckhand:ami-parameter} (among those asked for). */
    NO_MANAGED_TEMPLATE,
    /** The event concerns no managed template. */
    NOT_TRACKED,
    /** The event changes nothing (an operation that sets no value, an image not available, a launch failure that says nothing of its image). */
    IGNORED,
    /** A canary's replacement never came, or cannot launch: a template went back to its previous version. */
    ROLLED_BACK,
    /** Dry run: templates would be updated or instances retired. */
    DRY_RUN_ROTATE,
    /** Templates were updated or instances retired. */
    ROTATING,
    /** Nothing moved, and some template's image could not be resolved. */
    IMAGE_ERROR,
    /** Nothing to do. */
    UP_TO_DATE
}
