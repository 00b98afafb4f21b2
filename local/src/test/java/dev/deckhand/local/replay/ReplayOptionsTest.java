package dev.deckhand.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a replay may change: the emulator by default; another endpoint or a real account only with --apply. */
class ReplayOptionsTest {

    private static ReplayOptions parse(String... flags) {
        List<String> args = new ArrayList<>(List.of(flags));
        args.add(0, "events/spot-interruption-warning.json");
        return ReplayOptions.parse(args);
    }

    private static String refused(String... flags) {
        return assertThrows(IllegalArgumentException.class, () -> parse(flags)).getMessage();
    }

    @Test
    void endpointAws_isADryRun_unlessTheUserSaysApply() {
        ReplayOptions aws = parse("--endpoint", "aws");

        assertTrue(aws.dryRun(), "a real account is not changed by default");
        assertEquals("true", aws.parameters().get("DryRun"), "the functions run with DECKHAND_DRY_RUN=true");
    }

    @Test
    void endpointAws_withApply_changesTheAccount() {
        ReplayOptions aws = parse("--endpoint", "aws", "--apply");

        assertFalse(aws.dryRun());
        assertEquals(null, aws.parameters().get("DryRun"), "the template's own default (false) applies");
    }

    @Test
    void anotherEndpoint_isADryRunToo_unlessApply() {
        assertTrue(parse("--endpoint", "http://127.0.0.1:4566").dryRun(), "an endpoint URL may front a real account as well");
        assertFalse(parse("--endpoint", "http://127.0.0.1:4566", "--apply").dryRun());
    }

    @Test
    void theReplaysOwnEmulator_isChangedByDefault_asBefore() {
        assertFalse(parse().dryRun());
        assertTrue(parse("--dry-run").dryRun());
        assertEquals("true", parse("--dry-run").parameters().get("DryRun"));
    }

    @Test
    void contradictions_areRefused_notGuessed() {
        assertTrue(refused("--endpoint", "aws", "--dry-run", "--apply").contains("--apply"));
        assertTrue(refused("--endpoint", "aws", "--parameter", "DryRun=false").contains("--apply"),
                "a parameter is not the explicit say-so: --apply is");
        assertTrue(refused("--endpoint", "aws", "--apply", "--parameter", "DryRun=true").contains("--apply"));
    }

    @Test
    void severalEvents_eachGetEveryOption_andAnOptionsFileValueIsNoEvent() {
        List<ReplayOptions> each = ReplayOptions.parseEach(List.of("a.json", "--bus", "deckhand-deckhand", "b.json",
                "--history", "past.json", "--parameter", "X=y"));

        assertEquals(List.of(Path.of("a.json"), Path.of("b.json")), each.stream().map(ReplayOptions::event).toList());
        each.forEach(options -> {
            assertEquals("deckhand-deckhand", options.bus());
            assertEquals(List.of(Path.of("past.json")), options.history(), "--history's file is its value, not a third event");
            assertEquals("y", options.parameters().get("X"));
        });
    }

    @Test
    void oneEvent_parsesAsBefore_andNoEventIsRefused() {
        assertEquals(List.of(Path.of("a.json")), ReplayOptions.parseEach(List.of("a.json", "--json")).stream()
                .map(ReplayOptions::event).toList());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplayOptions.parseEach(List.of("--json"))).getMessage()
                .contains("needs an event file"));
    }
}
