package dev.deckhand.rotate.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.DeckhandBus;
import dev.deckhand.core.event.InstanceRetirementRequested;
import dev.deckhand.core.log.Metrics;
import dev.deckhand.rotate.RotateConfig;
import dev.deckhand.rotate.planner.Canary;
import dev.deckhand.rotate.planner.Node;
import dev.deckhand.rotate.planner.Owner;
import dev.deckhand.rotate.planner.Plan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The instance half of a rotation, doing what a {@link Plan} says: marks an instance retiring (tag
 * {@code deckhand:retiring}, before anything else, so a lost answer is not a second retirement), asks
 * drain-instance to drain it ({@code Deckhand Instance Retirement Requested} on {@code DECKHAND_EVENT_BUS}, Deckhand's own bus, ten
 * per PutEvents), and terminates a drained one through its owner so that the replacement comes from
 * the owner's current launch template version.
 */
final class Retirer {

    private static final Logger log = LoggerFactory.getLogger(Retirer.class);
    static final String REQUESTED_BY = "rotate-ami";

    private final Ec2Client ec2;
    private final AutoScalingClient autoscaling;
    private final DeckhandBus bus;
    private final RotateConfig config;
    private final Metrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper;

    Retirer(Ec2Client ec2, AutoScalingClient autoscaling, EventBridgeClient events, RotateConfig config, Metrics metrics, Clock clock,
            ObjectMapper mapper) {
        this.ec2 = ec2;
        this.autoscaling = autoscaling;
        this.bus = new DeckhandBus(events, config.eventBus(), mapper);
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** Terminates the drained instances of {@code plan} through their owners; returns their ids. */
    List<String> terminate(Plan plan) {
        List<String> done = new ArrayList<>();
        for (Node node : plan.terminate()) {
            log.atInfo().addKeyValue("instanceId", node.ec2InstanceId()).addKeyValue("cluster", plan.cluster())
                    .addKeyValue("owner", node.owner().id())
                    .log("{}terminating {}: drained, no task left; {} {} replaces it from its launch template", config.dryRun() ? "dry run: " : "",
                            node.ec2InstanceId(), node.owner().kind(), node.owner().id());
            done.add(node.ec2InstanceId());
            if (config.dryRun()) {
                continue;
            }
            if (node.owner().kind() == Owner.Kind.AUTO_SCALING_GROUP) {
                try {
                    autoscaling.terminateInstanceInAutoScalingGroup(r -> r.instanceId(node.ec2InstanceId()).shouldDecrementDesiredCapacity(false));
                } catch (AutoScalingException e) {
                    if (!alreadyGone(e)) {
                        throw e;
                    }
                    // Its termination already went through (an earlier attempt whose answer was lost, or the
                    // group itself): done, and the group launches the replacement as it would have.
                    log.atInfo().addKeyValue("instanceId", node.ec2InstanceId()).addKeyValue("owner", node.owner().id())
                            .log("{} is no longer in an Auto Scaling group ({}): its termination is done", node.ec2InstanceId(),
                                    e.awsErrorDetails().errorMessage());
                }
            } else {
                ec2.terminateInstances(r -> r.instanceIds(node.ec2InstanceId()));
            }
            metrics.count("InstanceTerminated", Map.of("Owner", node.owner().kind().name()));
        }
        return done;
    }

    /**
     * EC2 Auto Scaling's answer for an instance no group manages any more (already terminated):
     * {@code ValidationError} "Instance Id not found - No managed instance found for instance ID i-...".
     */
    private static boolean alreadyGone(AutoScalingException e) {
        return e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                && e.awsErrorDetails().errorMessage() != null && e.awsErrorDetails().errorMessage().startsWith("Instance Id not found");
    }

    /** Marks and requests the drain of each new retirement, and asks again for retiring instances still ACTIVE. */
    List<String> retire(Plan plan, String eventId) {
        List<InstanceRetirementRequested> entries = new ArrayList<>();
        List<String> retired = new ArrayList<>();
        String now = clock.instant().toString();
        for (Plan.Retirement retirement : plan.retire()) {
            Node node = retirement.node();
            log.atInfo().addKeyValue("instanceId", node.ec2InstanceId()).addKeyValue("cluster", plan.cluster())
                    .addKeyValue("canary", retirement.canary())
                    .log("{}retiring {}: {}", config.dryRun() ? "dry run: would be " : "", node.ec2InstanceId(), retirement.reason());
            retired.add(node.ec2InstanceId());
            if (config.dryRun()) {
                continue;
            }
            ec2.createTags(r -> r.resources(node.ec2InstanceId()).tags(Tag.builder().key(ClusterImagesReader.RETIRING_TAG).value(now).build(),
                    Tag.builder().key("deckhand:retiring-event").value(eventId).build()));
            entries.add(entry(plan.cluster(), node, retirement.reason()));
            metrics.count("InstanceRetired", Map.of("Canary", Boolean.toString(retirement.canary())));
        }
        for (Node node : plan.resend()) {
            log.atInfo().addKeyValue("instanceId", node.ec2InstanceId()).addKeyValue("cluster", plan.cluster())
                    .log("{} is marked retiring but still ACTIVE: asking drain-instance again", node.ec2InstanceId());
            if (!config.dryRun()) {
                entries.add(entry(plan.cluster(), node, "retirement requested again: still ACTIVE since " + node.retiringSince()));
            }
        }
        // The instances are marked: the next run asks again for those still ACTIVE; a refused request fails the run, so the retry comes sooner.
        bus.put(entries, "retirement request(s)");
        return retired;
    }

    /** Records the canary on the template it targets (tag {@code deckhand:canary:CLUSTER}). */
    void recordCanary(String templateId, Canary canary) {
        if (config.dryRun()) {
            return;
        }
        ec2.createTags(r -> r.resources(templateId).tags(Tag.builder().key(Canary.TAG_PREFIX + canary.cluster()).value(canary.tagValue()).build()));
    }

    private static InstanceRetirementRequested entry(String cluster, Node node, String reason) {
        String text = reason.length() > 512 ? reason.substring(0, 509) + "..." : reason;
        return InstanceRetirementRequested.of(node.ec2InstanceId(), cluster, text, REQUESTED_BY);
    }

}
