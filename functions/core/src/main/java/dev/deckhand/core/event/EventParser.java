package dev.deckhand.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads EventBridge events: the envelope first, then the function's own detail record.
 *
 * <pre>{@code
 * EventEnvelope event = parser.parse(input);
 * SpotInterruptionWarning warning = parser.detail(event, SpotInterruptionWarning.class);
 * }</pre>
 *
 * Unknown fields are ignored (AWS adds fields); missing or malformed ones raise
 * {@link BadEventException} naming the field.
 */
public final class EventParser {

    /** EventBridge caps an event at 256 KiB; anything larger did not come from it. */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    /** The account a function acts in (template.yaml sets it to {@code AWS::AccountId}); unset: not checked. */
    public static final String ACCOUNT_ID = "DECKHAND_ACCOUNT_ID";

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** arn:partition:service:region:account:resource; region and account may be empty (global resources). */
    private static final Pattern ARN = Pattern.compile("arn:[\\w-]+:[\\w-]+:([\\w-]*):(\\d{12})?:.+");

    private final ObjectMapper mapper;
    private final String homeAccount;

    /** A parser for a function: it refuses events from an account other than {@code DECKHAND_ACCOUNT_ID} when set. */
    public EventParser() {
        this(newMapper(), System.getenv(ACCOUNT_ID));
    }

    /** @param homeAccount the account events must come from, or null for any */
    public EventParser(ObjectMapper mapper, String homeAccount) {
        if (homeAccount != null && !homeAccount.isBlank() && !ACCOUNT.matcher(homeAccount.trim()).matches()) {
            throw new ConfigException(ACCOUNT_ID + " must be a 12-digit AWS account id, got '" + homeAccount + "'");
        }
        this.mapper = mapper;
        this.homeAccount = homeAccount == null || homeAccount.isBlank() ? null : homeAccount.trim();
    }

    /** The one mapper a function uses for events and results. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public EventEnvelope parse(InputStream input) {
        byte[] bytes;
        try {
            bytes = input.readNBytes(MAX_EVENT_BYTES + 1);
        } catch (IOException e) {
            throw new BadEventException("cannot read the event: " + e.getMessage());
        }
        return parse(bytes);
    }

    public EventEnvelope parse(byte[] bytes) {
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new BadEventException("the event is larger than EventBridge's 256 KiB limit");
        }
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new BadEventException("the event is not valid JSON: " + firstLine(e.getMessage()));
        }
        return parse(root);
    }

    /**
     * The input as JSON, for a handler that looks at it before parsing it as an event (a batch from
     * SQS, a schedule's constant input), so that it is read once; null when it is over EventBridge's
     * limit or not JSON, and {@link #parse(byte[])} then says which.
     */
    public JsonNode readTreeOrNull(byte[] bytes) {
        if (bytes.length > MAX_EVENT_BYTES) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** An event already read as JSON ({@link #readTreeOrNull}). */
    public EventEnvelope parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new BadEventException("the event is not a JSON object");
        }
        JsonNode detail = root.get("detail");
        if (detail == null || detail.isNull()) {
            throw new BadEventException("event field `detail` is missing");
        }
        if (!detail.isObject()) {
            throw new BadEventException("event field `detail` must be an object");
        }
        EventEnvelope event = new EventEnvelope(
                text(root, "id"),
                text(root, "source"),
                text(root, "detail-type"),
                optionalText(root, "account"),
                text(root, "region"),
                time(root),
                resources(root),
                detail);
        if (homeAccount != null && !homeAccount.equals(event.account())) {
            throw new BadEventException("event field `account` is " + abbreviate(String.valueOf(event.account()))
                    + " but this function acts in account " + homeAccount);
        }
        for (int i = 0; i < event.resources().size(); i++) {
            requireInScope(event, "resources[" + i + "]", event.resources().get(i));
        }
        return event;
    }

    /**
     * Refuses an ARN from an event that names another region or account than the event itself: a
     * forwarded or forged event must not make a function act on a same-named resource here.
     * Values that are not ARNs, and ARNs of global resources (no region or account), pass.
     */
    public static void requireInScope(EventEnvelope event, String field, String arn) {
        if (arn == null) {
            return;
        }
        Matcher parts = ARN.matcher(arn);
        if (!parts.matches()) {
            return;
        }
        String region = parts.group(1);
        String account = parts.group(2);
        if (!region.isEmpty() && !region.equals(event.region())) {
            throw new BadEventException("event field `" + field + "` names region " + abbreviate(region)
                    + " but the event comes from " + abbreviate(event.region()));
        }
        if (account != null && event.account() != null && !account.equals(event.account())) {
            throw new BadEventException("event field `" + field + "` names account " + account
                    + " but the event comes from account " + abbreviate(event.account()));
        }
    }

    /** Binds {@code event.detail()} to {@code type}; a record's constructor may reject values with BadEventException. */
    public <T> T detail(EventEnvelope event, Class<T> type) {
        try {
            return mapper.treeToValue(event.detail(), type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof BadEventException bad) {
                throw bad;
            }
            throw new BadEventException("event `detail` is malformed: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String path = e instanceof JsonMappingException mapping
                    ? mapping.getPathReference() : "detail";
            throw new BadEventException("event field `detail` has a wrong type at " + path + ": "
                    + firstLine(e.getOriginalMessage()));
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new BadEventException("event field `" + field + "` is missing");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new BadEventException("event field `" + field + "` must be a non-empty string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }

    private static Instant time(JsonNode root) {
        String value = text(root, "time");
        try {
            return IsoInstant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadEventException("event field `time` is not an ISO-8601 UTC time: " + abbreviate(value));
        }
    }

    private static List<String> resources(JsonNode root) {
        JsonNode node = root.get("resources");
        List<String> resources = new ArrayList<>();
        if (node == null || node.isNull()) {
            return resources;
        }
        if (!node.isArray()) {
            throw new BadEventException("event field `resources` must be an array");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new BadEventException("event field `resources` must be an array of strings");
            }
            resources.add(item.asText());
        }
        return List.copyOf(resources);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    /** {@code value} when it is a well-formed EC2 instance id; else a BadEventException naming {@code field}. */
    public static String requireInstanceId(String field, String value) {
        if (value == null) {
            throw new BadEventException("event field `" + field + "` is missing");
        }
        if (!ClusterDirectory.isInstanceId(value)) {
            throw new BadEventException("event field `" + field + "` is not an EC2 instance id: " + abbreviate(value));
        }
        return value;
    }

    /** Values from an event are echoed in errors only shortened. */
    public static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }
}
