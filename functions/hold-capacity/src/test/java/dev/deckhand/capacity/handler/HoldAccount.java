package dev.deckhand.capacity.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.planner.HoldSettings;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.testkit.Envelopes;
import dev.deckhand.testkit.Handlers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** An empty emulated account for hold-capacity's tests: seeders, counted clients, events. */
final class HoldAccount {

    static final String REGION = "us-east-2";
    /** Deckhand's own bus, where retirement requests go (template.yaml names it so for the stack `deckhand`). */
    static final String BUS = "deckhand-deckhand";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HoldSettings SETTINGS = new HoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(30),
            Duration.ofMinutes(15));

    final LocalAws aws = LocalAws.shared();
    final AwsCallCounter calls = new AwsCallCounter();
    final AccountSeeder seed;
    final GroupSeeder groups;
    final AutoScalingClient autoscaling;
    final Ec2Client ec2;
    final EcsClient ecs;
    final EventBridgeClient events;

    HoldAccount() {
        aws.reset();
        seed = new AccountSeeder(aws, REGION);
        groups = new GroupSeeder(aws.client(AutoScalingClient.builder(), REGION), aws.client(Ec2Client.builder(), REGION), REGION);
        autoscaling = aws.functionClient("HoldCapacityFunction", AutoScalingClient.builder(), REGION, calls);
        ec2 = aws.functionClient("HoldCapacityFunction", Ec2Client.builder(), REGION, calls);
        ecs = aws.functionClient("HoldCapacityFunction", EcsClient.builder(), REGION, calls);
        events = aws.functionClient("HoldCapacityFunction", EventBridgeClient.builder(), REGION, calls);
        aws.client(EventBridgeClient.builder(), REGION).createEventBus(r -> r.name(BUS));
    }

    static HoldConfig config(ManagedClusters clusters, boolean dryRun) {
        return new HoldConfig(clusters, dryRun, REGION, 10, SETTINGS, BUS);
    }

    HoldCapacityHandler handler(HoldConfig config, Instant now) {
        return new HoldCapacityHandler(config, autoscaling, ec2, ecs, events, calls, Clock.fixed(now, ZoneOffset.UTC));
    }

    static JsonNode invoke(HoldCapacityHandler handler, String event) throws IOException {
        return Handlers.invoke(handler, event);
    }

    AutoScalingGroup group(String name) {
        return groups.describe(name);
    }

    Map<String, String> tags(String group) {
        Map<String, String> tags = new HashMap<>();
        group(group).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    static String spotWarning(String id, String instanceId, Instant time) {
        return Envelopes.event(EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING).id(id).time(time).region(REGION)
                .resources("arn:aws:ec2:" + REGION + ":123456789012:instance/" + instanceId)
                .detail("{\"instance-id\":\"" + instanceId + "\",\"instance-action\":\"terminate\"}").json();
    }

    static String rebalance(String instanceId, Instant time) {
        return Envelopes.event(EventTypes.SOURCE_EC2, EventTypes.REBALANCE_RECOMMENDATION).id("5e2c1a4b-7a0e-4a51-8f7e-2b1c0e9d8f70")
                .time(time).region(REGION).resources("arn:aws:ec2:" + REGION + ":123456789012:instance/" + instanceId)
                .detail("{\"instance-id\":\"" + instanceId + "\"}").json();
    }

    static String launchUnsuccessful(String group, String message, Instant time) {
        return Envelopes.event(EventTypes.SOURCE_AUTOSCALING, EventTypes.LAUNCH_UNSUCCESSFUL).id("1f0d3a4c-2b5e-4c6d-8e7f-9a0b1c2d3e4f")
                .time(time).region(REGION)
                .resources("arn:aws:autoscaling:" + REGION + ":123456789012:autoScalingGroup:5a8f2a1e-1c3b-4a5e-9d2f-0123456789ab:autoScalingGroupName/" + group)
                .detail("""
                        {"StatusCode":"Failed","AutoScalingGroupName":"%s","ActivityId":"87654321-4321-4321-4321-210987654321",
                         "Details":{"Availability Zone":"us-east-2a","Subnet ID":"subnet-12345678"},"RequestId":"12345678-1234-1234-1234-123456789012",
                         "StatusMessage":"%s","EndTime":"%s","StartTime":"%s","Cause":"At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3."}
                        """.formatted(group, message, time, time, time)).json();
    }

    /** The hand-back schedule's event at {@code time}; its id follows from the time, as EventBridge's does. */
    static String schedule(Instant time) {
        return Envelopes.event(EventTypes.SOURCE_EVENTS, EventTypes.SCHEDULED_EVENT)
                .id(UUID.nameUUIDFromBytes(time.toString().getBytes(StandardCharsets.UTF_8)).toString()).time(time).region(REGION)
                .resources("arn:aws:events:" + REGION + ":123456789012:rule/deckhand-HoldCapacityFunctionHandBack-1A2B3C").json();
    }
}
