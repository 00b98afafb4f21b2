package dev.deckhand.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class EventRouterTest {

    private final EventRouter<String> router = new EventRouter<String>("drain-instance", "us-east-2")
            .on(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING, event -> "spot " + event.id())
            .on(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT, event -> "sweep " + event.id());

    @Test
    void route_sendsEachSourceAndDetailTypeToItsRoute() {
        assertEquals("spot e1", router.route(event("aws.ec2", EventTypes.SPOT_INTERRUPTION_WARNING, "us-east-2")));
        assertEquals("sweep e1", router.route(event("aws.events", "Scheduled Event", "us-east-2")));
    }

    @Test
    void route_refusesAnotherRegion_beforeAnyRoute() {
        BadEventException refused = assertThrows(BadEventException.class,
                () -> router.route(event("aws.ec2", EventTypes.SPOT_INTERRUPTION_WARNING, "eu-west-1")));
        assertEquals("event field `region` is eu-west-1 but this function acts in us-east-2", refused.getMessage());
    }

    @Test
    void route_refusesAMissingOrMalformedAccount_beforeAnyRoute() {
        EventEnvelope missing = new EventEnvelope("e1", "aws.ec2", EventTypes.SPOT_INTERRUPTION_WARNING, null, "us-east-2", Instant.EPOCH,
                List.of(), null);
        EventEnvelope markup = new EventEnvelope("e1", "aws.ec2", EventTypes.SPOT_INTERRUPTION_WARNING, "acme<b>", "us-east-2",
                Instant.EPOCH, List.of(), null);

        assertEquals("event field `account` must be a 12-digit AWS account id",
                assertThrows(BadEventException.class, () -> router.route(missing)).getMessage());
        assertEquals("event field `account` must be a 12-digit AWS account id, got acme<b>",
                assertThrows(BadEventException.class, () -> router.route(markup)).getMessage());
    }

    @Test
    void route_refusesAnEventNoRouteTakes_namingTheFunction() {
        // The detail-type of one route with the source of another is no route.
        BadEventException refused = assertThrows(BadEventException.class,
                () -> router.route(event("aws.events", EventTypes.SPOT_INTERRUPTION_WARNING, "us-east-2")));
        assertEquals("drain-instance does not handle source `aws.events` with detail-type `EC2 Spot Instance Interruption Warning`",
                refused.getMessage());
    }

    @Test
    void route_namesTheEventInEveryLogLineAfter_aRefusedOneToo() {
        MDC.clear();

        assertThrows(BadEventException.class, () -> router.route(event("aws.ec2", EventTypes.SPOT_INTERRUPTION_WARNING, "eu-west-1")));

        assertEquals("e1", MDC.get("eventId"));
        MDC.clear();
    }

    @Test
    void on_refusesTheSamePairTwice() {
        assertThrows(IllegalStateException.class,
                () -> router.on(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING, event -> "again"));
    }

    private static EventEnvelope event(String source, String detailType, String region) {
        return new EventEnvelope("e1", source, detailType, "123456789012", region, Instant.EPOCH, List.of(), null);
    }
}
