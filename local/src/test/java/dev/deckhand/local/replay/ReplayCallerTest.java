package dev.deckhand.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A replay against an endpoint of the user's asks who the credentials are first (STS
 * GetCallerIdentity; moto answers 123456789012) and refuses a sample of another account before any
 * function runs. The emulator stands in for the account, reached as any endpoint would be.
 */
@Tag("emulator")
class ReplayCallerTest {

    private static final Path HOME = DeckhandHome.find();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path sample(Path dir, String account) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(HOME.resolve("events/spot-interruption-warning.json").toFile());
        event.put("account", account);
        Path file = dir.resolve("event.json");
        Files.writeString(file, event.toString());
        return file;
    }

    @Test
    void sampleOfAnotherAccount_isRefusedBeforeAnyFunctionRuns(@TempDir Path dir) throws IOException {
        LocalAws aws = LocalAws.shared();
        Path event = sample(dir, "210987654321");

        ByteArrayOutputStream notes = new ByteArrayOutputStream();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayCommand(HOME)
                .replay(ReplayOptions.parse(List.of(event.toString(), "--endpoint", aws.endpoint().toString())),
                        new PrintStream(notes, true, StandardCharsets.UTF_8)));

        assertTrue(e.getMessage().contains("210987654321"), e.getMessage());
        assertTrue(e.getMessage().contains("123456789012"), "names the caller's account: " + e.getMessage());
        String shown = notes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("deckhand: account 123456789012 (arn:aws:"), "the account comes first: " + shown);
        assertTrue(shown.contains("region us-east-2"), "the sample's region, which the functions get: " + shown);
        assertTrue(shown.contains("dry run"), shown);
    }

    @Test
    void callerIdentity_isTheEmulatorsAccount_andOnlyItsSamplesRunThere() throws IOException {
        CallerAccount caller;
        try (StsClient sts = LocalAws.shared().client(StsClient.builder(), "us-east-2")) {
            caller = CallerAccount.of(sts, "us-east-2");
        }

        assertEquals("123456789012", caller.account(), "moto's default account");
        assertEquals("us-east-2", caller.region());
        assertNull(caller.refusal(JSON.readTree(HOME.resolve("events/spot-interruption-warning.json").toFile())));
        assertTrue(caller.refusal(JSON.createObjectNode().put("account", "210987654321")).contains("210987654321"));
        assertTrue(caller.refusal(JSON.createObjectNode()).contains("no `account`"));
        assertTrue(caller.describe(false).contains("--apply: the functions change it"), caller.describe(false));
    }
}
