package dev.deckhand.core.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.config.ConfigException;
import dev.deckhand.core.event.DeckhandDetail;
import dev.deckhand.core.event.EventTypes;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.eventbridge.auth.scheme.EventBridgeAuthSchemeProvider;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Puts Deckhand's own events ({@link DeckhandDetail}: a retirement request, a capacity shortage) on
 * Deckhand's bus, the one way every function publishes them: PutEvents takes at most 10 entries a
 * call (EventBridge API Reference, PutEvents), and an entry EventBridge refuses is an error, so the
 * run fails and is retried rather than the request lost.
 *
 * <pre>{@code
 * DeckhandBus bus = new DeckhandBus(events, config.eventBus(), mapper);
 * bus.put(List.of(InstanceRetirementRequested.of(instanceId, cluster, reason, "rotate-ami")), "retirement request");
 * }</pre>
 */
public final class DeckhandBus {

    /**
     * The variable naming the bus, a name or an ARN; default {@code default}. The template sets
     * Deckhand's own bus, whose policy admits only Deckhand's publishers.
     */
    public static final String KEY = "DECKHAND_EVENT_BUS";
    /** PutEvents' limit of entries per call. */
    static final int MAX_ENTRIES = 10;
    /** An event bus name, or its ARN (EventBridge API Reference, PutEventsRequestEntry EventBusName). */
    private static final Pattern NAME_OR_ARN =
            Pattern.compile("[A-Za-z0-9._\\-/]{1,256}|arn:[\\w-]+:events:[\\w-]+:\\d{12}:event-bus/[A-Za-z0-9._\\-/]{1,256}");

    private static final EventBridgeAuthSchemeProvider SIGV4 = params -> List.of(AuthSchemeOption.builder()
            .schemeId(AwsV4AuthScheme.SCHEME_ID)
            .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
            .putSignerProperty(AwsV4HttpSigner.REGION_NAME, params.region().id())
            .build());

    private final EventBridgeClient events;
    private final String busName;
    private final ObjectMapper mapper;

    public DeckhandBus(EventBridgeClient events, String busName, ObjectMapper mapper) {
        this.events = events;
        this.busName = busName;
        this.mapper = mapper;
    }

    /**
     * The EventBridge client builder the bus's publishers start from: requests signed with SigV4 for
     * {@code events} in the client's region, the auth the service model names ({@code aws.auth#sigv4}).
     * The SDK's default resolves the auth scheme from EventBridge's endpoint rules on every call, for
     * the global endpoints a PutEvents names with {@code EndpointId} (SigV4a: EventBridge API
     * Reference, PutEvents); Deckhand never names one.
     */
    public static EventBridgeClientBuilder clientBuilder() {
        return EventBridgeClient.builder().authSchemeProvider(SIGV4);
    }

    /** {@code busName}, if it is an event bus name or ARN; otherwise a ConfigException naming {@link #KEY}. */
    public static String checkedName(String busName) {
        if (busName == null || !NAME_OR_ARN.matcher(busName).matches()) {
            throw new ConfigException(KEY + " must be an event bus name or ARN, got '" + busName + "'");
        }
        return busName;
    }

    /** @param what names the events in the error, e.g. "retirement request for i-0abc" */
    public void put(List<? extends DeckhandDetail> details, String what) {
        for (int i = 0; i < details.size(); i += MAX_ENTRIES) {
            List<PutEventsRequestEntry> batch = details.subList(i, Math.min(details.size(), i + MAX_ENTRIES)).stream()
                    .map(detail -> PutEventsRequestEntry.builder().source(EventTypes.SOURCE_DECKHAND).detailType(detail.detailType())
                            .eventBusName(busName).detail(detail.detailJson(mapper)).build())
                    .toList();
            PutEventsResponse response = events.putEvents(r -> r.entries(batch));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw new IllegalStateException("EventBridge refused " + what + " (" + response.failedEntryCount() + " of "
                        + batch.size() + " entries): " + response.entries().stream().filter(e -> e.errorCode() != null)
                        .map(e -> e.errorCode() + " " + e.errorMessage()).toList());
            }
        }
    }
}
