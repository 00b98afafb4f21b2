package dev.deckhand.drain.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.aws.AwsClients;
import dev.deckhand.core.aws.ClusterDirectory;
import dev.deckhand.core.aws.TaskReader;
import dev.deckhand.core.config.Env;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.drain.executor.DrainResult;
import dev.deckhand.drain.executor.InstanceDrainer;
import dev.deckhand.drain.planner.DrainPlanner;
import dev.deckhand.drain.planner.DrainRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Lambda entry point of drain-instance: parses the EventBridge event, turns it into a
 * {@link DrainRequest}, hands it to {@link InstanceDrainer}, writes the {@link DrainResult}.
 * Handler string: {@code dev.deckhand.drain.handler.DrainInstanceHandler::handleRequest}.
 *
 * A bad event throws {@link BadEventException} before anything is changed; an AWS failure
 * propagates, so Lambda retries the event and the failure queue keeps what retries could not fix.
 */
public final class DrainInstanceHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(DrainInstanceHandler.class);

    private final EventParser parser = new EventParser();
    private final DrainConfig config;
    private final InstanceDrainer drainer;
    private final AwsCallCounter calls;

    /** Used by Lambda: configuration from the environment, clients built once for the container. */
    public DrainInstanceHandler() {
        this(DrainConfig.from(Env.system()), new AwsCallCounter());
    }

    private DrainInstanceHandler(DrainConfig config, AwsCallCounter calls) {
        this(config, AwsClients.build(EcsClient.builder(), calls), calls, Clock.systemUTC());
    }

    /** Used by tests: the clients (counted by {@code calls}), configuration and clock to use. */
    public DrainInstanceHandler(DrainConfig config, EcsClient ecs, AwsCallCounter calls, Clock clock) {
        this.config = config;
        this.calls = calls;
        this.drainer = new InstanceDrainer(ecs, new ClusterDirectory(ecs, config.clusters(), clock),
                new TaskReader(ecs), new DrainPlanner(), config, new Metrics("drain-instance", clock), clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        calls.reset();
        MDC.clear();
        if (context != null) {
            MDC.put("requestId", context.getAwsRequestId());
        }
        try {
            EventEnvelope event = parser.parse(input);
            MDC.put("eventId", event.id());
            DrainResult result = drainer.drain(toRequest(event)).withAwsCalls(calls.byOperation());
            parser.mapper().writeValue(output, result);
        } catch (BadEventException e) {
            log.atError().log("event refused, nothing changed: {}", e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("awsCalls", calls.byOperation())
                    .log("drain failed; Lambda retries the event, then sends it to the failure queue");
            throw e;
        } finally {
            MDC.clear();
        }
    }

    private DrainRequest toRequest(EventEnvelope event) {
        if (!config.region().equals(event.region())) {
            throw new BadEventException("event field `region` is " + EventParser.abbreviate(event.region())
                    + " but this function acts in " + config.region());
        }
        if (event.is(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING)) {
            return parser.detail(event, SpotInterruptionWarning.class).toRequest(event);
        }
        throw new BadEventException("drain-instance does not handle source `" + EventParser.abbreviate(event.source())
                + "` with detail-type `" + EventParser.abbreviate(event.detailType()) + "`");
    }
}
