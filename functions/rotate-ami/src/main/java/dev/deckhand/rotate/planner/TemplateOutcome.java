package dev.deckhand.rotate.planner;

/**
 * What happened to one managed launch template in a run (the result's {@code templates}).
 *
 * @param image           the image its default version launches now (or would, in a dry run); null when unknown
 * @param previousImage   the image its default version launched before this run
 * @param defaultVersion  its default version after this run
 * @param previousVersion the default version this run (or the last rotation) replaced, or null
 * @param error           why its image could not be resolved ({@link Action#ERROR}), else null
 * @param note            what else a person should know (a person's newer version kept, an alias), or null
 */
public record TemplateOutcome(String templateId, String templateName, String parameter, String image, String previousImage,
                              long defaultVersion, Long previousVersion, Action action, String error, String note) {

    /** What the run did to the template. */
    public enum Action {
        /** A version with the new image was made the default. */
        UPDATED,
        /** Dry run: that version would be made. */
        DRY_RUN_UPDATE,
        /** The default version already launches the parameter's image. */
        CURRENT,
        /** A reconcile run: the parameter was not read. */
        NOT_CHECKED,
        /** Its ImageId is {@code resolve:ssm:...}: EC2 resolves it at each launch, no version is made. */
        FOLLOWS_PARAMETER,
        /** The parameter names an image a rotation was rolled back from: left as it is. */
        HELD_AFTER_ROLLBACK,
        /** The parameter or its image could not be read. */
        ERROR
    }

    /** True when the run changes the template (or would, in a dry run). */
    public boolean updated() {
        return action == Action.UPDATED || action == Action.DRY_RUN_UPDATE;
    }
}
