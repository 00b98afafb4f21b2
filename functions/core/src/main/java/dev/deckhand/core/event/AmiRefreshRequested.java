package dev.deckhand.core.event;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The schema of {@code deckhand} / {@code Deckhand AMI Refresh Requested}: a person (or a pipeline
 * that just published a golden image) asks rotate-ami to run now rather than at its next schedule.
 * Sample: events/ami-refresh-requested.json.
 *
 * <pre>{@code
 * # The rule listens on Deckhand's own bus, which admits only Deckhand's roles: a person invokes rotate-ami.
 * aws lambda invoke --function-name "$ROTATE_AMI_FUNCTION" --invocation-type Event \
 *   --cli-binary-format raw-in-base64-out --payload file://events/ami-refresh-requested.json /dev/null
 *
 * "detail": {
 *   "schemaVersion": 1,
 *   "requestedBy": "alice",
 *   "reason": "CVE-2026-1234 patched AMI",
 *   "launchTemplateIds": ["lt-0abcd1234efgh5678"]
 * }
 * }</pre>
 *
 * @param schemaVersion     1; a reader refuses versions it does not know rather than guess
 * @param requestedBy       who asks (shown in the log), optional, up to 64 characters
 * @param reason            why (shown in the log), optional, up to 512 characters
 * @param launchTemplateIds only these managed templates (optional; empty: every managed template)
 */
public record AmiRefreshRequested(int schemaVersion, String requestedBy, String reason, List<String> launchTemplateIds) {

    public static final String SOURCE = EventTypes.SOURCE_DECKHAND;
    public static final String DETAIL_TYPE = "Deckhand AMI Refresh Requested";
    public static final int SCHEMA_VERSION = 1;
    private static final Pattern TEMPLATE_ID = Pattern.compile("lt-[0-9a-f]{8,17}");
    /** Who asks: an IAM-style principal or user name. */
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9 ._@+=,:/-]{1,64}");
    /**
     * Why: plain words. Markup, quotes and shell or query metacharacters are refused, since the text
     * reaches logs and, through them, tickets and chat.
     */
    private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{N} .,:()/_#+@%-]{1,512}");

    public AmiRefreshRequested {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new BadEventException("event field `detail.schemaVersion` must be " + SCHEMA_VERSION + ", got " + schemaVersion);
        }
        if (requestedBy != null && !PRINCIPAL.matcher(requestedBy).matches()) {
            throw new BadEventException("event field `detail.requestedBy` must be a name of at most 64 letters, digits and ._@+=,:/- characters");
        }
        if (reason != null && !TEXT.matcher(reason).matches()) {
            throw new BadEventException("event field `detail.reason` must be plain text of at most 512 characters "
                    + "(letters, digits, spaces and .,:()/_#+@%-; no markup, quotes or control characters)");
        }
        launchTemplateIds = launchTemplateIds == null ? List.of() : launchTemplateIds;
        if (launchTemplateIds.size() > 100) {
            throw new BadEventException("event field `detail.launchTemplateIds` lists more than 100 templates");
        }
        for (String id : launchTemplateIds) {
            if (id == null || !TEMPLATE_ID.matcher(id).matches()) {
                throw new BadEventException("event field `detail.launchTemplateIds` has an entry that is not a launch template id (lt-...): "
                        + (id == null ? "null" : EventParser.abbreviate(id)));
            }
        }
        launchTemplateIds = List.copyOf(launchTemplateIds);
    }

    public static AmiRefreshRequested of(String requestedBy, String reason, List<String> launchTemplateIds) {
        return new AmiRefreshRequested(SCHEMA_VERSION, requestedBy, reason, launchTemplateIds);
    }
}
