package dev.deckhand.ticket.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * A ticket body as structure, not text: every sink renders it in its own markup
 * ({@link Markup}), escaping each value, so text from an event or an image (repository names,
 * tags, finding titles, stopped reasons) can never turn into markup, a mention or a link.
 *
 * <pre>{@code
 * TicketBody doc = new TicketBody().heading("Image").fact("Repository", repo).table(List.of("Severity", "Count"), rows);
 * }</pre>
 */
final class TicketBody {

    /** One part of a body. */
    public sealed interface Block permits Heading, Text, Facts, Table {
    }

    public record Heading(String text) implements Block {
    }

    public record Text(String text) implements Block {
    }

    /** Label: value lines; {@code code} values are identifiers shown in code style. */
    public record Fact(String label, String value, boolean code) {
    }

    public record Facts(List<Fact> facts) implements Block {
    }

    public record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    private final List<Block> blocks = new ArrayList<>();

    public TicketBody heading(String text) {
        blocks.add(new Heading(text));
        return this;
    }

    public TicketBody text(String text) {
        blocks.add(new Text(text));
        return this;
    }

    /** Adds a fact line to the current facts block (a new one after any other block). */
    public TicketBody fact(String label, String value) {
        return fact(label, value, false);
    }

    public TicketBody code(String label, String value) {
        return fact(label, value, true);
    }

    private TicketBody fact(String label, String value, boolean code) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        if (blocks.isEmpty() || !(blocks.get(blocks.size() - 1) instanceof Facts)) {
            blocks.add(new Facts(new ArrayList<>()));
        }
        ((Facts) blocks.get(blocks.size() - 1)).facts().add(new Fact(label, value, code));
        return this;
    }

    public TicketBody table(List<String> header, List<List<String>> rows) {
        if (!rows.isEmpty()) {
            blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        }
        return this;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }
}
