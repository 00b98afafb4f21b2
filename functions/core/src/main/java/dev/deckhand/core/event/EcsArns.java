package dev.deckhand.core.event;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECS ARNs that events name, read one way for every function (ECS Developer Guide, "Amazon
 * Resource Names (ARNs) and IDs"): a cluster, {@code arn:aws:ecs:region:account:cluster/name}; a
 * service, {@code arn:aws:ecs:region:account:service/cluster/name}, or in the short format of a
 * service created before 2021, {@code ...:service/name}, which names no cluster. The parser has
 * already refused an ARN of another region or account than the event's.
 *
 * <pre>{@code
 * EcsArns.Service service = EcsArns.service(event);          // resources[0]
 * String cluster = EcsArns.clusterName("detail.clusterArn", detail.clusterArn());
 * }</pre>
 */
public final class EcsArns {

    private static final Pattern CLUSTER = Pattern.compile("arn:[\\w-]+:ecs:[\\w-]+:\\d{12}:cluster/([A-Za-z0-9_-]{1,255})");
    private static final Pattern SERVICE =
            Pattern.compile("arn:[\\w-]+:ecs:[\\w-]+:\\d{12}:service/(?:([A-Za-z0-9_-]{1,255})/)?([A-Za-z0-9_-]{1,255})");

    /** @param cluster the cluster's name, or null for a short ARN */
    public record Service(String cluster, String name, String arn) {
    }

    private EcsArns() {
    }

    /** The service {@code resources[0]} names; BadEventException when there is none or it is no service ARN. */
    public static Service service(EventEnvelope event) {
        List<String> resources = event.resources();
        if (resources.isEmpty()) {
            throw new BadEventException("event field `resources` must name the service");
        }
        String arn = resources.get(0);
        Matcher service = arn == null ? null : SERVICE.matcher(arn);
        if (service == null || !service.matches()) {
            throw new BadEventException("event field `resources[0]` is not an ECS service ARN: " + EventParser.abbreviate(arn));
        }
        return new Service(service.group(1), service.group(2), arn);
    }

    /** The name of the cluster {@code arn} names; BadEventException, naming {@code field}, when it is missing or no cluster ARN. */
    public static String clusterName(String field, String arn) {
        if (arn == null) {
            throw new BadEventException("event field `" + field + "` is missing");
        }
        Matcher cluster = CLUSTER.matcher(arn);
        if (!cluster.matches()) {
            throw new BadEventException("event field `" + field + "` is not an ECS cluster ARN: " + EventParser.abbreviate(arn));
        }
        return cluster.group(1);
    }
}
