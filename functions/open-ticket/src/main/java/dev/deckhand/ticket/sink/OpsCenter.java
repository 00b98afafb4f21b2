package dev.deckhand.ticket.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.ticket.planner.Markup;
import dev.deckhand.ticket.planner.Ticket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.OpsItemAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.OpsItemDataType;
import software.amazon.awssdk.services.ssm.model.OpsItemDataValue;
import software.amazon.awssdk.services.ssm.model.OpsItemFilter;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterKey;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterOperator;
import software.amazon.awssdk.services.ssm.model.OpsItemStatus;
import software.amazon.awssdk.services.ssm.model.OpsItemSummary;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * AWS Systems Manager OpsCenter, the default sink. {@code DescribeOpsItems} for an open or
 * in-progress OpsItem whose searchable {@code deckhand:fingerprint} is the ticket's; then
 * {@code UpdateOpsItem} when the body hash changed (or {@code Status: Resolved} for a close), or
 * {@code CreateOpsItem} with {@code /aws/dedup} (so OpsCenter itself refuses a second open OpsItem
 * with the same fingerprint, even from a race) and {@code /aws/resources}. The description is
 * Markdown (CreateOpsItem: "in Markdown format"), every value escaped, capped at the API's 2,048
 * characters; the fuller evidence goes in {@code deckhand:evidence}. The body hash is searchable
 * data, as DescribeOpsItems returns no other.
 */
public final class OpsCenter implements TicketSink {

    static final int MAX_DESCRIPTION = 2_048;
    static final int MAX_TITLE = 1_024;
    /** OperationalData holds at most 20 KB in all; the evidence keeps well under it. */
    static final int MAX_EVIDENCE = 12_000;
    public static final String SOURCE = "Deckhand";
    /**
     * Every OpsItem Deckhand creates carries this tag from its creation: the role may update only
     * OpsItems that carry it (template.yaml), so another team's OpsItems stay out of reach.
     */
    static final String OWNER_TAG = "deckhand:opened-by";
    static final String OWNER = "open-ticket";
    public static final String FINGERPRINT_KEY = "deckhand:fingerprint";
    /** The searchable group label of tickets closed together ({@link Ticket#group}). */
    public static final String GROUP_KEY = "deckhand:group";
    static final String HASH_KEY = "deckhand:bodyHash";

    private final SsmClient ssm;
    private final ObjectMapper json;

    public OpsCenter(SsmClient ssm, ObjectMapper json) {
        this.ssm = ssm;
        this.json = json;
    }

    @Override
    public String name() {
        return "opscenter";
    }

    /** The description as OpsCenter receives it. */
    public static String description(Ticket ticket) {
        return Markup.MARKDOWN.render(ticket.body(), MAX_DESCRIPTION);
    }

    private OpsItemSummary find(Ticket ticket) {
        ObjectNode filter = json.createObjectNode().put("key", FINGERPRINT_KEY).put("value", ticket.fingerprint());
        List<OpsItemSummary> found = ssm.describeOpsItems(r -> r.maxResults(5).opsItemFilters(
                OpsItemFilter.builder().key(OpsItemFilterKey.OPERATIONAL_DATA).operator(OpsItemFilterOperator.EQUAL)
                        .values(filter.toString()).build(),
                OpsItemFilter.builder().key(OpsItemFilterKey.STATUS).operator(OpsItemFilterOperator.EQUAL)
                        .values(OpsItemStatus.OPEN.toString(), OpsItemStatus.IN_PROGRESS.toString()).build())).opsItemSummaries();
        return found.isEmpty() ? null : found.get(0);
    }

    /** One {@code DescribeOpsItems}: the open or in-progress OpsItems whose searchable {@code deckhand:group} is {@code group}. */
    @Override
    public List<String> openInGroup(String group) {
        ObjectNode filter = json.createObjectNode().put("key", GROUP_KEY).put("value", group);
        return ssm.describeOpsItems(r -> r.maxResults(50).opsItemFilters(
                OpsItemFilter.builder().key(OpsItemFilterKey.OPERATIONAL_DATA).operator(OpsItemFilterOperator.EQUAL)
                        .values(filter.toString()).build(),
                OpsItemFilter.builder().key(OpsItemFilterKey.STATUS).operator(OpsItemFilterOperator.EQUAL)
                        .values(OpsItemStatus.OPEN.toString(), OpsItemStatus.IN_PROGRESS.toString()).build())).opsItemSummaries().stream()
                .map(item -> item.operationalData().get(FINGERPRINT_KEY)).filter(Objects::nonNull)
                .map(OpsItemDataValue::value).distinct().toList();
    }

    /** A ticket's texts as the OpsItem holds them, rendered once per publish, and the hash of the three. */
    private record Texts(String description, String evidence, String hash) {
        static Texts of(Ticket ticket) {
            String description = OpsCenter.description(ticket);
            String evidence = OpsCenter.evidence(ticket);
            return new Texts(description, evidence, Ticket.bodyHash(description + "\n" + evidence + "\n" + ticket.priority()));
        }
    }

    @Override
    public SinkResult preview(Ticket ticket) {
        OpsItemSummary existing = find(ticket);
        if (existing == null) {
            return new SinkResult(name(), ticket.close() ? "NOT_FOUND" : "WOULD_CREATE", null, null);
        }
        return new SinkResult(name(), ticket.close() ? "WOULD_CLOSE" : unchanged(existing, Texts.of(ticket)) ? "UNCHANGED" : "WOULD_UPDATE",
                existing.opsItemId(), null);
    }

    /**
     * DescribeOpsItems returns only searchable operational data (AWS's OpsItem overview shows
     * SearchableString data; String data is seen only through GetOpsItem), so the body hash is
     * stored searchable: one DescribeOpsItems tells whether anything changed.
     */
    private static boolean unchanged(OpsItemSummary existing, Texts texts) {
        OpsItemDataValue stored = existing.operationalData().get(HASH_KEY);
        return stored != null && texts.hash().equals(stored.value());
    }

    @Override
    public SinkResult publish(Ticket ticket) {
        OpsItemSummary existing = find(ticket);
        if (existing != null) {
            if (ticket.keepsBody()) {
                // The evidence stays as it was; why it closed goes in its own searchable field.
                ssm.updateOpsItem(r -> r.opsItemId(existing.opsItemId()).status(OpsItemStatus.RESOLVED).operationalData(Map.of(
                        "deckhand:closedBecause", value(Markup.cap(Markup.PLAIN.render(ticket.body(), 1_000), 1_000), true))));
                return new SinkResult(name(), "CLOSED", existing.opsItemId(), null);
            }
            if (ticket.close()) {
                ssm.updateOpsItem(r -> r.opsItemId(existing.opsItemId()).status(OpsItemStatus.RESOLVED).description(description(ticket)));
                return new SinkResult(name(), "CLOSED", existing.opsItemId(), null);
            }
            Texts texts = Texts.of(ticket);
            if (unchanged(existing, texts)) {
                return new SinkResult(name(), "UNCHANGED", existing.opsItemId(), null);
            }
            Map<String, OpsItemDataValue> data = new LinkedHashMap<>();
            data.put(HASH_KEY, value(texts.hash(), true));
            data.put("deckhand:evidence", value(texts.evidence(), false));
            ssm.updateOpsItem(r -> r.opsItemId(existing.opsItemId()).title(title(ticket)).description(texts.description())
                    .priority(ticket.priority()).operationalData(data));
            return new SinkResult(name(), "UPDATED", existing.opsItemId(), null);
        }
        if (ticket.close()) {
            return new SinkResult(name(), "NOT_FOUND", null, null);
        }
        Texts texts = Texts.of(ticket);
        Map<String, OpsItemDataValue> data = new LinkedHashMap<>();
        data.put("/aws/dedup", value(json.createObjectNode().put("dedupString", ticket.fingerprint()).toString(), true));
        if (!ticket.resources().isEmpty()) {
            ArrayNode resources = json.createArrayNode();
            ticket.resources().forEach(arn -> resources.addObject().put("arn", arn));
            data.put("/aws/resources", value(resources.toString(), true));
        }
        data.put(FINGERPRINT_KEY, value(ticket.fingerprint(), true));
        if (ticket.group() != null) {
            data.put(GROUP_KEY, value(ticket.group(), true));
        }
        data.put(HASH_KEY, value(texts.hash(), true));
        data.put("deckhand:key", value(Markup.cap(ticket.key(), 1_000), true));
        ticket.facts().forEach((key, v) -> data.put("deckhand:" + key, value(Markup.cap(v, 1_000), true)));
        data.put("deckhand:evidence", value(texts.evidence(), false));
        try {
            String id = ssm.createOpsItem(r -> r.title(title(ticket)).description(texts.description()).source(SOURCE)
                    .opsItemType("/aws/issue").priority(ticket.priority()).category(ticket.category())
                    .severity(severity(ticket)).operationalData(data)
                    .tags(Tag.builder().key(OWNER_TAG).value(OWNER).build())).opsItemId();
            return new SinkResult(name(), "CREATED", id, null);
        } catch (OpsItemAlreadyExistsException e) {
            // OpsCenter's own dedup found an open OpsItem with this fingerprint (created by a race we lost).
            return new SinkResult(name(), "UNCHANGED", e.opsItemId(), null);
        }
    }

    /** The Markdown body, which OpsCenter's console shows in operational data, capped. */
    static String evidence(Ticket ticket) {
        return Markup.MARKDOWN.render(ticket.body(), MAX_EVIDENCE);
    }

    static String title(Ticket ticket) {
        return Markup.cap(GitHubIssues.oneLine(ticket.title()), MAX_TITLE);
    }

    /** OpsCenter severities are "1" (critical) to "4" (low). */
    static String severity(Ticket ticket) {
        return switch (ticket.severity()) {
            case CRITICAL -> "1";
            case HIGH -> "2";
            case MEDIUM -> "3";
            default -> "4";
        };
    }

    private static OpsItemDataValue value(String v, boolean searchable) {
        return OpsItemDataValue.builder().value(v).type(searchable ? OpsItemDataType.SEARCHABLE_STRING : OpsItemDataType.STRING).build();
    }
}
