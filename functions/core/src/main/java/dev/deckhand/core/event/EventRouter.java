package dev.deckhand.core.event;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every handler's dispatch, once: every log line from here on names the event ({@code eventId} in
 * the log context); the event must name a 12-digit account (the parser refuses one that is not the
 * function's own, where it knows it) and come from the function's own region, then it goes to the
 * route its source and detail-type name; an event no route takes is refused with the same message
 * in every function.
 *
 * <pre>{@code
 * router = new EventRouter<DrainResult>("drain-instance", config.region())
 *         .on(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING, this::spotWarning)
 *         .on(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT, this::sweep);
 * DrainResult result = router.route(event);
 * }</pre>
 *
 * @param <R> the function's result
 */
public final class EventRouter<R> {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private final String function;
    private final String region;
    private final Map<String, Function<EventEnvelope, R>> routes = new HashMap<>();

    /** @param function the function's name, as the refusal says it; @param region where it acts */
    public EventRouter(String function, String region) {
        this.function = function;
        this.region = region;
    }

    /** Routes {@code source} / {@code detailType} to {@code route}; one route per pair. */
    public EventRouter<R> on(String source, String detailType, Function<EventEnvelope, R> route) {
        if (routes.putIfAbsent(key(source, detailType), route) != null) {
            throw new IllegalStateException(function + " routes " + source + " / " + detailType + " twice");
        }
        return this;
    }

    /** The route's result; BadEventException for a malformed account, another region, or an event no route takes. */
    public R route(EventEnvelope event) {
        MDC.put("eventId", event.id());
        if (event.account() == null || !ACCOUNT.matcher(event.account()).matches()) {
            throw new BadEventException("event field `account` must be a 12-digit AWS account id"
                    + (event.account() == null ? "" : ", got " + EventParser.abbreviate(event.account())));
        }
        if (!region.equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + region);
        }
        Function<EventEnvelope, R> route = routes.get(key(event.source(), event.detailType()));
        if (route == null) {
            throw new BadEventException(function + " does not handle source `" + EventParser.abbreviate(event.source())
                    + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
        }
        return route.apply(event);
    }

    private static String key(String source, String detailType) {
        return source + '\n' + detailType;
    }
}
