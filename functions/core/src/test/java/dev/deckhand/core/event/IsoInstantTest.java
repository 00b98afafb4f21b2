package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void parse_readsWhatAwsEventsCarry() {
        assertEquals(Instant.parse("2026-12-01T03:30:00Z"), IsoInstant.parse("2026-12-01T03:30:00Z"));
        assertEquals(Instant.parse("2026-12-01T03:30:00Z").plusMillis(250), IsoInstant.parse("2026-12-01T03:30:00.250Z"));
        assertEquals(Instant.parse("2024-02-29T23:59:59.123456789Z"), IsoInstant.parse("2024-02-29T23:59:59.123456789Z"));
    }

    @Test
    void parse_answersAsInstantParseDoes_forEveryShapeAndError() {
        List<String> texts = new ArrayList<>(List.of(
                "2026-12-01T03:30:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "2023-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z", "2026-12-00T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z",
                "2026-12-31T23:59:60Z", "2026-12-01T03:30:00.Z", "2026-12-01T03:30:00.1234567891Z",
                "2026-12-01T03:30:00.5Z", "2026-12-01t03:30:00z", "2026-12-01T03:30:00+00:00", "2026-12-01T03:30:00",
                "2026-12-01 03:30:00Z", "+12026-12-01T03:30:00Z", "2026-1-01T03:30:00Z", "2026-12-01T3:30:00Z",
                "2026-12-01T03:30Z", "2026-12-01T03:30:0aZ", "2026-12-01T03:30:00.12a4Z", "", "Z",
                "2026-12-01T03:30:00ZZ", "-026-12-01T03:30:00Z", "2026-12-01T03:30:00,5Z"));
        Random random = new Random(18);
        for (int i = 0; i < 5_000; i++) {
            texts.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
                    random.nextBoolean() ? "" : "." + "123456789012".substring(0, random.nextInt(12))));
        }
        for (String text : texts) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThrows(DateTimeParseException.class, () -> IsoInstant.parse(text), text);
                continue;
            }
            assertEquals(expected, IsoInstant.parse(text), text);
        }
    }

    @Test
    void parse_null_isRefusedAsInstantParseRefusesIt() {
        assertThrows(NullPointerException.class, () -> IsoInstant.parse(null));
    }
}
