package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;

/**
 * Pins emulator/python/deckhand_emulator/ssm_fixes.py to the SSM API Reference (SendCommand): a
 * command sent with InstanceIds runs on those instances only; a document that does not exist is
 * refused with InvalidDocument.
 */
@Tag("emulator")
class SsmFidelityTest extends EmptyAccountTest {

    @Test
    void sendCommand_withInstanceIds_targetsExactlyThoseInstances() {
        String named = seed.launch("a", false, null).instanceId();
        seed.launch("b", false, null);
        SsmClient ssm = aws.client(SsmClient.builder(), REGION);

        Command command = ssm.sendCommand(r -> r.instanceIds(named).documentName("AWS-RunShellScript")
                .parameters(Map.of("commands", List.of("echo flush")))).command();

        assertEquals(List.of(named), command.instanceIds());
        assertEquals(List.of(named), ssm.listCommands(r -> r.commandId(command.commandId())).commands().get(0).instanceIds());
    }

    @Test
    void sendCommand_documentThatDoesNotExist_isRefusedWithInvalidDocument() {
        SsmClient ssm = aws.client(SsmClient.builder(), REGION);

        InvalidDocumentException refused = assertThrows(InvalidDocumentException.class,
                () -> ssm.sendCommand(r -> r.instanceIds("i-1234567890abcdef0").documentName("No-Such-Document")));

        assertEquals("InvalidDocument", refused.awsErrorDetails().errorCode());
        assertEquals(0, ssm.listCommands().commands().size());
    }
}
