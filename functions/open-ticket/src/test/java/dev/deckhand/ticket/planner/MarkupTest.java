package dev.deckhand.ticket.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkupTest {

    @Test
    void markdown_escapesEveryMarkupCharacter_andBreaksMentionsAndReferences() {
        String escaped = Markup.MARKDOWN.escape("**x** [a](http://e) <b>&amp; @team #12 `c` | ~s~ ![i](u)");

        assertEquals("\\*\\*x\\*\\* \\[a\\]\\(http\\:\\/\\/e\\) &lt;b&gt;&amp;amp\\; \\@\u200Bteam \\#\u200B12 \\`c\\` \\| \\~s\\~ \\!\\[i\\]\\(u\\)", escaped);
    }

    @Test
    void jira_escapesItsMarkup_andMacros() {
        assertEquals("\\{code\\}x\\{code\\} \\*b\\* \\_i\\_ \\[link\\|http://e\\] \\|c\\| h1. \\!img\\!",
                Markup.JIRA.escape("{code}x{code} *b* _i_ [link|http://e] |c| h1. !img!"));
    }

    @Test
    void slack_escapesEntities_andNeutralizesFormatting() {
        assertEquals("&lt;!channel&gt; &amp; \u200B*b\u200B* \u200B_i\u200B_ \u200B`c\u200B`", Markup.slack("<!channel> & *b* _i_ `c`"));
    }

    @Test
    void everyValue_isOneLine_withoutControlCharacters() {
        assertEquals("a b c", Markup.PLAIN.escape("a\nb\u0007c"));
        assertEquals("x", Markup.PLAIN.escape("x\uD800"), "a lone surrogate is dropped");
        assertEquals("\uD83D\uDE80", Markup.PLAIN.escape("\uD83D\uDE80"), "a valid pair is kept");
    }

    @Test
    void markdownTable_cellsCannotBreakTheTable_andCodeSpansSurviveBackticks() {
        TicketBody doc = new TicketBody().code("Digest", "a`b").table(List.of("A", "B"), List.of(List.of("x|y", "z\nw")));

        String out = Markup.MARKDOWN.render(doc, 10_000);

        assertTrue(out.contains("``a`b``"), out);
        assertTrue(out.contains("| x\\|y | z w |"), out);
    }

    @Test
    void cap_cutsAtALineBreak_underTheLimit_withANote() {
        String text = "line one\nline two\nline three\n".repeat(100);

        String capped = Markup.cap(text, 200);

        assertTrue(capped.length() <= 200, capped.length() + "");
        assertTrue(capped.endsWith("(cut at 200 characters: the sink's limit)"), capped);
        assertFalse(capped.contains("line t\n"));
        assertEquals("short", Markup.cap("short", 200));
    }
}
