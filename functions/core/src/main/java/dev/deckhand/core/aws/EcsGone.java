package dev.deckhand.core.aws;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;

/**
 * The one place where an event about a cluster or service that no longer exists (deleted between
 * the event and the invocation) becomes a no-op with a log line, instead of a failed invocation
 * that lands in the failure queue and the error alarm.
 *
 * <pre>{@code
 * return EcsGone.orElse(event.id(), cluster, service,
 *         () -> ticketFor(cluster, service),
 *         reason -> result(event, "GONE", reason));
 * }</pre>
 *
 * What ECS answers, as the API Reference documents it: a call naming a deleted cluster is
 * {@code ClusterNotFoundException} ("The specified cluster wasn't found"; DeleteCluster: "We don't
 * recommend that you rely on INACTIVE clusters persisting"); DescribeServices answers a deleted
 * service DRAINING or INACTIVE, a failure with reason MISSING once ECS no longer keeps it (API
 * failure reasons), or {@code ServiceNotFoundException} (DeleteService), as ListTasks does for a
 * {@code serviceName} it does not know. Only the event's own cluster and service are meant: a sweep
 * over many clusters skips a missing one and goes on (see {@link ClusterDirectory}).
 */
public final class EcsGone {

    private static final Logger log = LoggerFactory.getLogger(EcsGone.class);

    private EcsGone() {
    }

    /** Thrown by a reader that found the event's service MISSING, DRAINING or INACTIVE; {@link #orElse} turns it into a no-op. */
    public static final class ServiceGoneException extends RuntimeException {
        public ServiceGoneException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs {@code work} on the event's own {@code cluster} (and {@code service}, may be null); when
     * ECS says that either no longer exists, logs one line and returns {@code gone} applied to the reason.
     */
    public static <T> T orElse(String eventId, String cluster, String service, Supplier<T> work, Function<String, T> gone) {
        String reason;
        try {
            return work.get();
        } catch (ClusterNotFoundException e) {
            reason = "cluster " + cluster + " no longer exists (ClusterNotFoundException)";
        } catch (ServiceNotFoundException e) {
            reason = "service " + cluster + "/" + service + " no longer exists (ServiceNotFoundException)";
        } catch (ServiceGoneException e) {
            reason = e.getMessage();
        }
        log.atInfo().addKeyValue("eventId", eventId).addKeyValue("cluster", cluster).addKeyValue("service", service)
                .log("{}: deleted since the event, nothing to do", reason);
        return gone.apply(reason);
    }

    /**
     * The service of a DescribeServices answer for one service; {@link ServiceGoneException} when ECS
     * reports it MISSING or no longer ACTIVE (DRAINING, INACTIVE: deleted).
     */
    public static Service activeService(String cluster, String service, DescribeServicesResponse response) {
        List<Service> found = response.services();
        if (found.isEmpty()) {
            throw new ServiceGoneException("service " + cluster + "/" + service + " no longer exists (DescribeServices: MISSING)");
        }
        Service described = found.get(0);
        if (!"ACTIVE".equals(described.status())) {
            throw new ServiceGoneException("service " + cluster + "/" + service + " no longer exists (DescribeServices: "
                    + described.status() + ", deleted)");
        }
        return described;
    }
}
