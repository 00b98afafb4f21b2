package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The schema of {@code Deckhand Capacity Shortage}: what hold-capacity writes, open-ticket reads back. */
class CapacityShortageTest {

    private final EventParser parser = new EventParser();

    private static CapacityShortage of(String status, String kind, String lever, int held) {
        return new CapacityShortage(1, status, "web", kind, lever, "DesiredCapacity", 3, held, 2, 6, 2, "2026-11-22T09:40:00Z", "hold-capacity");
    }

    @Test
    void theSampleInEvents_parses_andWhatHoldCapacityWritesReadsBackTheSame() throws Exception {
        Path sample = Path.of("../../events/capacity-shortage.json");
        EventEnvelope event = parser.parse(Files.readAllBytes(sample));
        CapacityShortage read = parser.detail(event, CapacityShortage.class);
        CapacityShortage written = of(CapacityShortage.SHORT, "ON_DEMAND_GROUP", "web-od", 2);

        assertTrue(event.is(EventTypes.SOURCE_DECKHAND, EventTypes.CAPACITY_SHORTAGE));
        assertEquals("demo-batch-ondemand", read.lever());
        assertEquals(2, read.uncovered());
        assertEquals(written, parser.mapper().readValue(written.detailJson(parser.mapper()).getBytes(StandardCharsets.UTF_8), CapacityShortage.class));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown status | MAYBE | ON_DEMAND_GROUP | web-od | 1 | detail.status",
            "unknown kind | SHORT | GROUP | web-od | 1 | detail.leverKind",
            "a group name for a fleet | SHORT | EC2_FLEET | web-od | 1 | detail.lever",
            "a Spot Fleet id for an EC2 Fleet | SHORT | EC2_FLEET | sfr-38725d30-25f1-4f30-83ce-2907c56dba17 | 1 | detail.lever",
            "negative | SHORT | ON_DEMAND_GROUP | web-od | -1 | not be negative"})
    void aBadDetail_isRefusedNamingTheField(String name, String status, String kind, String lever, int held, String field) {
        BadEventException e = assertThrows(BadEventException.class, () -> of(status, kind, lever, held));

        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
