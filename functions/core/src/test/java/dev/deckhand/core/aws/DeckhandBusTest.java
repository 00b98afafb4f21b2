package dev.deckhand.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.InstanceRetirementRequested;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class DeckhandBusTest {

    private final List<PutEventsRequest> sent = new ArrayList<>();
    private boolean refuseLast;

    private final EventBridgeClient events = new EventBridgeClient() {
        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
            sent.add(request);
            int n = request.entries().size();
            List<PutEventsResultEntry> results = IntStream.range(0, n).mapToObj(i -> refuseLast && i == n - 1
                    ? PutEventsResultEntry.builder().errorCode("AccessDeniedException").errorMessage("not allowed").build()
                    : PutEventsResultEntry.builder().eventId("e" + i).build()).toList();
            return PutEventsResponse.builder().failedEntryCount(refuseLast ? 1 : 0).entries(results).build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    };

    private final DeckhandBus bus = new DeckhandBus(events, "deckhand-deckhand", EventParser.newMapper());

    private static List<InstanceRetirementRequested> requests(int n) {
        return IntStream.range(0, n).mapToObj(i -> InstanceRetirementRequested.of(String.format("i-%017x", i), "web", "rotated", "rotate-ami"))
                .toList();
    }

    @Test
    void put_sendsAtMostTenEntriesACall_onDeckhandsBus_withEachDetailsType() {
        bus.put(requests(23), "retirement request(s)");

        assertEquals(List.of(10, 10, 3), sent.stream().map(r -> r.entries().size()).toList());
        var entry = sent.get(0).entries().get(0);
        assertEquals("deckhand", entry.source());
        assertEquals(InstanceRetirementRequested.DETAIL_TYPE, entry.detailType());
        assertEquals("deckhand-deckhand", entry.eventBusName());
        assertTrue(entry.detail().contains("\"instance-id\":\"i-00000000000000000\""), entry.detail());
        assertTrue(!entry.detail().contains("detailType"), "the detail-type is the entry's, not in the detail: " + entry.detail());
    }

    @Test
    void put_anEntryEventBridgeRefuses_isAnError_namingWhatAndWhy() {
        refuseLast = true;

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> bus.put(requests(2), "retirement request(s)"));

        assertEquals("EventBridge refused retirement request(s) (1 of 2 entries): [AccessDeniedException not allowed]", refused.getMessage());
    }

    /**
     * The bus's client signs as the SDK's default does when no global endpoint is named: SigV4, the
     * scope the client's region and {@code events} (EventBridge API Reference, PutEvents: EndpointId).
     */
    @Test
    void clientBuilder_signsPutEventsWithSigV4ForEventsInTheRegion_asTheSdksDefaultDoes() {
        String ours = authorizationOfAPutEvents(DeckhandBus.clientBuilder());
        String sdks = authorizationOfAPutEvents(EventBridgeClient.builder());

        assertTrue(ours.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), ours);
        assertTrue(ours.contains("/eu-west-1/events/aws4_request, SignedHeaders="), ours);
        assertEquals(scope(sdks), scope(ours));
    }

    private static String scope(String authorization) {
        return authorization.substring(0, authorization.indexOf(", Signature="));
    }

    /** The Authorization header of one PutEvents through {@code builder}'s client, answered without a network. */
    private static String authorizationOfAPutEvents(EventBridgeClientBuilder builder) {
        List<SdkHttpRequest> requests = new ArrayList<>();
        SdkHttpClient http = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                requests.add(request.httpRequest());
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() {
                        byte[] body = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}".getBytes(StandardCharsets.UTF_8);
                        return HttpExecuteResponse.builder().response(SdkHttpResponse.builder().statusCode(200).build())
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        try (EventBridgeClient client = builder.httpClient(http).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build()) {
            new DeckhandBus(client, "deckhand-deckhand", EventParser.newMapper()).put(requests(1), "retirement request");
        }
        assertEquals(1, requests.size());
        return requests.get(0).firstMatchingHeader("Authorization").orElseThrow();
    }
}
