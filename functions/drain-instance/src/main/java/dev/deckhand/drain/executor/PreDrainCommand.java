package dev.deckhand.drain.executor;

import dev.deckhand.core.log.Metrics;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * Sends the configured SSM Run Command document to an instance whose drain has just started (for
 * example, to flush a log agent's buffers before a Spot instance goes). Called after the drain
 * call, so it never delays it; its outcome is logged and counted, and a failure here never fails
 * the drain.
 *
 * <pre>{@code
 * preDrain.send("i-1234567890abcdef0", eventId);   // logs commandId and status, or why it failed
 * }</pre>
 */
public final class PreDrainCommand {

    private static final Logger log = LoggerFactory.getLogger(PreDrainCommand.class);

    private final SsmClient ssm;
    private final String document;
    private final Map<String, List<String>> parameters;
    private final Metrics metrics;

    /** @param document null when no pre-drain command is configured */
    public PreDrainCommand(SsmClient ssm, String document, Map<String, List<String>> parameters, Metrics metrics) {
        this.ssm = ssm;
        this.document = document;
        this.parameters = parameters;
        this.metrics = metrics;
    }

    public boolean configured() {
        return document != null;
    }

    /** @return the command id, or null when none is configured or SSM refused it */
    public String send(String instanceId, String eventId) {
        if (document == null) {
            return null;
        }
        String comment = "Deckhand pre-drain for event " + eventId;
        String shortComment = comment.length() <= 100 ? comment : comment.substring(0, 100); // SSM's limit
        try {
            Command command = ssm.sendCommand(r -> r.instanceIds(instanceId).documentName(document).parameters(parameters)
                    .timeoutSeconds(60).comment(shortComment)).command();
            log.atInfo().addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                    .addKeyValue("document", document).addKeyValue("commandId", command.commandId())
                    .addKeyValue("commandStatus", command.statusAsString())
                    .log("pre-drain command sent");
            metrics.count("PreDrainCommands", Map.of("Outcome", "Sent"));
            return command.commandId();
        } catch (RuntimeException e) { // SSM refused it or could not be reached: the drain is done and stands
            log.atWarn().addKeyValue("eventId", eventId).addKeyValue("instanceId", instanceId)
                    .addKeyValue("document", document)
                    .log("pre-drain command was not sent; the drain goes on without it: {}", e.getMessage());
            metrics.count("PreDrainCommands", Map.of("Outcome", "Failed"));
            return null;
        }
    }
}
