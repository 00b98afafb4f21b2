package dev.deckhand.ticket.planner;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders a {@link TicketBody} for one sink, escaping every value and capping the result at the sink's
 * limit (cut at a line boundary, with a note, so an escape is never cut in half).
 *
 * <ul>
 * <li>{@link #MARKDOWN}: GitHub Flavored Markdown. Every ASCII punctuation character a value holds
 * is backslash-escaped (CommonMark allows it for all of them), so no emphasis, link, heading,
 * table cell, {@code @mention} or {@code #123} reference can come from a value; {@code <} {@code >}
 * {@code &} become entities (no raw HTML).</li>
 * <li>{@link #JIRA}: Jira wiki markup (REST API v2 strings). Its markup characters are
 * backslash-escaped; braces too, so no {@code {code}} or {@code {html}} macro opens.</li>
 * <li>{@link #PLAIN}: plain text, control characters dropped (OpsCenter descriptions are Markdown and use {@link #MARKDOWN}).</li>
 * </ul>
 * Slack's mrkdwn has its own rule ({@link #slack}). Every value also loses its control characters
 * and line breaks (a value is one line).
 */
public enum Markup {
    MARKDOWN, JIRA, PLAIN;

    private static final String MARKDOWN_PUNCTUATION = "\\`*_{}[]()#+-.!|~@:=\"'$%^,;?/";
    private static final String JIRA_SPECIAL = "\\*_?-+^~{}[]|!#()@";
    /** A Jira line that starts a heading or a quote block. */
    private static final Pattern JIRA_BLOCK = Pattern.compile("(?s)(h[1-6]|bq)\\..*");

    /** {@code value} made safe as text in this markup, on one line. */
    public String escape(String value) {
        String line = oneLine(value);
        if (this == JIRA && JIRA_BLOCK.matcher(line).matches()) {
            line = "\u200B" + line;   // Jira reads a line starting "h1." as a heading; it has no escape for it
        }
        StringBuilder out = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (this) {
                case MARKDOWN -> {
                    if (c == '<') {
                        out.append("&lt;");
                    } else if (c == '>') {
                        out.append("&gt;");
                    } else if (c == '&') {
                        out.append("&amp;");
                    } else if (c == '@' || c == '#') {
                        // GitHub links @user and #123 in rendered text, escaped or not: a zero-width space breaks them.
                        out.append('\\').append(c).append('\u200B');
                    } else if (MARKDOWN_PUNCTUATION.indexOf(c) >= 0) {
                        out.append('\\').append(c);
                    } else {
                        out.append(c);
                    }
                }
                case JIRA -> {
                    if (JIRA_SPECIAL.indexOf(c) >= 0) {
                        out.append('\\').append(c);
                    } else {
                        out.append(c);
                    }
                }
                case PLAIN -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Slack mrkdwn: {@code & < >} as entities (Slack's documented escaping, which also stops
     * {@code <!channel>} and {@code <url|text>}); a zero-width space before {@code * _ ~ `} so they
     * format nothing.
     */
    public static String slack(String value) {
        String line = oneLine(value);
        StringBuilder out = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '*', '_', '~', '`' -> out.append('\u200B').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Control characters and line breaks become spaces; invalid surrogates are dropped. */
    static String oneLine(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(' ');
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    /** The whole body, at most {@code maxChars} characters. */
    public String render(TicketBody doc, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (TicketBody.Block block : doc.blocks()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (block instanceof TicketBody.Heading heading) {
                out.append(switch (this) {
                    case MARKDOWN -> "### " + escape(heading.text());
                    case JIRA -> "h3. " + escape(heading.text());
                    case PLAIN -> oneLine(heading.text()).toUpperCase(Locale.ROOT);
                }).append('\n');
            } else if (block instanceof TicketBody.Text text) {
                out.append(escape(text.text())).append('\n');
            } else if (block instanceof TicketBody.Facts facts) {
                for (TicketBody.Fact fact : facts.facts()) {
                    out.append(switch (this) {
                        case MARKDOWN -> "- **" + escape(fact.label()) + ":** " + (fact.code() ? code(fact.value()) : escape(fact.value()));
                        case JIRA -> "* *" + escape(fact.label()) + ":* " + escape(fact.value());
                        case PLAIN -> escape(fact.label()) + ": " + escape(fact.value());
                    }).append('\n');
                }
            } else if (block instanceof TicketBody.Table table) {
                table(out, table);
            }
        }
        return cap(out.toString(), maxChars);
    }

    private void table(StringBuilder out, TicketBody.Table table) {
        switch (this) {
            case MARKDOWN -> {
                out.append('|');
                table.header().forEach(h -> out.append(' ').append(escape(h)).append(" |"));
                out.append("\n|");
                table.header().forEach(h -> out.append(" --- |"));
                out.append('\n');
                for (List<String> row : table.rows()) {
                    out.append('|');
                    row.forEach(cell -> out.append(' ').append(escape(cell)).append(" |"));
                    out.append('\n');
                }
            }
            case JIRA -> {
                out.append("||");
                table.header().forEach(h -> out.append(escape(h)).append("||"));
                out.append('\n');
                for (List<String> row : table.rows()) {
                    out.append('|');
                    row.forEach(cell -> out.append(cell.isBlank() ? " " : escape(cell)).append('|'));
                    out.append('\n');
                }
            }
            case PLAIN -> {
                for (List<String> row : table.rows()) {
                    out.append("- ");
                    for (int i = 0; i < row.size(); i++) {
                        if (row.get(i).isBlank()) {
                            continue;
                        }
                        out.append(i == 0 ? "" : ", ").append(i == 0 ? "" : escape(table.header().get(i)) + " ").append(escape(row.get(i)));
                    }
                    out.append('\n');
                }
            }
        }
    }

    /** Markdown code span: a value with backticks gets a longer fence, as CommonMark allows. */
    private static String code(String value) {
        String line = oneLine(value);
        int longest = 0;
        int run = 0;
        for (char c : line.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        return fence + (line.startsWith("`") || line.endsWith("`") ? " " + line + " " : line) + fence;
    }

    /** {@code text} cut at the last line break that leaves room for the note, when it is longer than {@code maxChars}. */
    public static String cap(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        String note = "\n(cut at " + maxChars + " characters: the sink's limit)";
        int end = text.lastIndexOf('\n', Math.max(0, maxChars - note.length()));
        if (end <= 0) {
            end = Math.max(0, maxChars - note.length());
            if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
        }
        return text.substring(0, end) + note;
    }
}
