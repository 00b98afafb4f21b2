package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.OpsItemAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.OpsItemDataType;
import software.amazon.awssdk.services.ssm.model.OpsItemDataValue;
import software.amazon.awssdk.services.ssm.model.OpsItemFilter;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterKey;
import software.amazon.awssdk.services.ssm.model.OpsItemFilterOperator;
import software.amazon.awssdk.services.ssm.model.OpsItemInvalidParameterException;
import software.amazon.awssdk.services.ssm.model.OpsItemNotFoundException;
import software.amazon.awssdk.services.ssm.model.OpsItemStatus;
import software.amazon.awssdk.services.ssm.model.OpsItemSummary;

/**
 * Pins emulator/python/deckhand_emulator/ops_items.py to the SSM API Reference (CreateOpsItem,
 * DescribeOpsItems, UpdateOpsItem, GetOpsItem) and the User Guide's "Managing duplicate OpsItems":
 * an open or in-progress OpsItem with the same /aws/dedup string stops a second one being created;
 * a resolved one does not. Only SearchableString operational data can be searched.
 */
@Tag("emulator")
class OpsCenterFidelityTest extends EmptyAccountTest {

    private SsmClient ssm;

    @BeforeEach
    void client() {
        ssm = aws.client(SsmClient.builder(), REGION);
    }

    private String create(String dedup, String fingerprint) {
        return ssm.createOpsItem(r -> r.title("t").description("d").source("Deckhand").priority(2).operationalData(Map.of(
                "/aws/dedup", OpsItemDataValue.builder().type(OpsItemDataType.SEARCHABLE_STRING).value("{\"dedupString\":\"" + dedup + "\"}").build(),
                "deckhand:fingerprint", OpsItemDataValue.builder().type(OpsItemDataType.SEARCHABLE_STRING).value(fingerprint).build(),
                "deckhand:note", OpsItemDataValue.builder().type(OpsItemDataType.STRING).value(fingerprint).build()))).opsItemId();
    }

    private List<OpsItemSummary> byData(String key, String value) {
        return ssm.describeOpsItems(r -> r.opsItemFilters(OpsItemFilter.builder().key(OpsItemFilterKey.OPERATIONAL_DATA)
                .operator(OpsItemFilterOperator.EQUAL).values("{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}").build())).opsItemSummaries();
    }

    @Test
    void createOpsItem_withTheDedupStringOfAnOpenOpsItem_createsNothing_andNamesTheOpenOne() {
        String first = create("fp-1", "fp-1");

        OpsItemAlreadyExistsException e = assertThrows(OpsItemAlreadyExistsException.class, () -> create("fp-1", "fp-1"));

        assertEquals(first, e.opsItemId());
        assertEquals(1, ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size());
        assertTrue(first.matches("oi-[0-9a-f]{12}"), first);
        assertEquals(OpsItemStatus.OPEN, ssm.getOpsItem(r -> r.opsItemId(first)).opsItem().status());
    }

    @Test
    void createOpsItem_afterTheDuplicateIsResolved_createsANewOne() {
        String first = create("fp-2", "fp-2");
        ssm.updateOpsItem(r -> r.opsItemId(first).status(OpsItemStatus.RESOLVED));

        String second = create("fp-2", "fp-2");

        assertNotEquals(first, second);
        assertEquals(2, ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size());
    }

    @Test
    void describeOpsItems_searchesSearchableStringsOnly_andFiltersByStatus() {
        String open = create("a", "fp-a");
        String resolved = create("b", "fp-b");
        ssm.updateOpsItem(r -> r.opsItemId(resolved).status(OpsItemStatus.RESOLVED));

        assertEquals(List.of(open), byData("deckhand:fingerprint", "fp-a").stream().map(OpsItemSummary::opsItemId).toList());
        assertEquals(List.of(), byData("deckhand:note", "fp-a"), "String (not SearchableString) data is not searchable");
        List<OpsItemSummary> openOnly = ssm.describeOpsItems(r -> r.opsItemFilters(OpsItemFilter.builder().key(OpsItemFilterKey.STATUS)
                .operator(OpsItemFilterOperator.EQUAL).values("Open", "InProgress").build())).opsItemSummaries();
        assertEquals(List.of(open), openOnly.stream().map(OpsItemSummary::opsItemId).toList());
        assertEquals("fp-a", openOnly.get(0).operationalData().get("deckhand:fingerprint").value());
    }

    /**
     * SSM API Reference, CreateOpsItem, OperationalData: searchable data is what the OpsItem
     * overview (DescribeOpsItems) shows; "Operational data that isn't searchable is only viewable by
     * users who have access to the OpsItem (as provided by the GetOpsItem API operation)."
     */
    @Test
    void describeOpsItems_returnsSearchableDataOnly_getOpsItemReturnsAll() {
        String id = create("c", "fp-c");

        OpsItemSummary summary = byData("deckhand:fingerprint", "fp-c").get(0);

        assertEquals("fp-c", summary.operationalData().get("deckhand:fingerprint").value());
        assertEquals(null, summary.operationalData().get("deckhand:note"), "String data is not in DescribeOpsItems");
        assertEquals("fp-c", ssm.getOpsItem(r -> r.opsItemId(id)).opsItem().operationalData().get("deckhand:note").value());
    }

    @Test
    void describeOpsItems_pagesByMaxResults() {
        for (int i = 0; i < 3; i++) {
            create("p" + i, "p" + i);
        }
        var first = ssm.describeOpsItems(r -> r.maxResults(2));
        var second = ssm.describeOpsItems(r -> r.maxResults(2).nextToken(first.nextToken()));

        assertEquals(2, first.opsItemSummaries().size());
        assertEquals(1, second.opsItemSummaries().size());
        assertEquals(null, second.nextToken());
        assertThrows(OpsItemInvalidParameterException.class, () -> ssm.describeOpsItems(r -> r.maxResults(51)));
    }

    @Test
    void updateOpsItem_mergesOperationalData_andKeepsTheDedupString() {
        String id = create("u", "fp-u");

        ssm.updateOpsItem(r -> r.opsItemId(id).description("new").priority(1).operationalData(Map.of("deckhand:bodyHash",
                OpsItemDataValue.builder().type(OpsItemDataType.STRING).value("h2").build())));

        var item = ssm.getOpsItem(r -> r.opsItemId(id)).opsItem();
        assertEquals("new", item.description());
        assertEquals(1, item.priority());
        assertEquals("h2", item.operationalData().get("deckhand:bodyHash").value());
        assertEquals("fp-u", item.operationalData().get("deckhand:fingerprint").value());
        assertThrows(OpsItemInvalidParameterException.class, () -> ssm.updateOpsItem(r -> r.opsItemId(id).operationalData(Map.of("/aws/dedup",
                OpsItemDataValue.builder().type(OpsItemDataType.SEARCHABLE_STRING).value("{\"dedupString\":\"x\"}").build()))));
        assertThrows(OpsItemNotFoundException.class, () -> ssm.updateOpsItem(r -> r.opsItemId("oi-000000000000").description("x")));
    }

    @Test
    void createOpsItem_refusesADescriptionOverTheLimit_andReservedKeys() {
        assertThrows(OpsItemInvalidParameterException.class, () -> ssm.createOpsItem(r -> r.title("t").source("s").description("x".repeat(2049))));
        assertThrows(OpsItemInvalidParameterException.class, () -> ssm.createOpsItem(r -> r.title("t").source("s").description("d")
                .operationalData(Map.of("aws:mine", OpsItemDataValue.builder().value("v").build()))));
    }
}
