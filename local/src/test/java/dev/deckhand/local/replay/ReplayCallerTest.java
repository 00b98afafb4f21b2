package dev.deckhand.local.replay;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.LocalAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay against an endpoint of the user's asks who the credentials are first (STS
 * GetCallerIdentity; moto answers 123456789012) and refuses a sample of another account before any
 * function runs. The emulator stands in for the account, reached as any endpoint would be.
 */
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

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayCommand(HOME)
                .replay(ReplayOptions.parse(List.of(event.toString(), "--endpoint", aws.endpoint().toString()))));

        assertTrue(e.getMessage().contains("210987654321"), e.getMessage());
        assertTrue(e.getMessage().contains("123456789012"), "names the caller's account: " + e.getMessage());
    }
}
