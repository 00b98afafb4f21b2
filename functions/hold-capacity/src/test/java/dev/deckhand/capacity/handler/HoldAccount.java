package dev.deckhand.capacity.handler;

import dev.deckhand.testkit.Handlers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.capacity.HoldConfig;
import dev.deckhand.capacity.planner.HoldSettings;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.LocalAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
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
        return """
                {"version":"0","id":"%s","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2",
                 "account":"123456789012","time":"%s","region":"%s","resources":["arn:aws:ec2:%s:123456789012:instance/%s"],
                 "detail":{"instance-id":"%s","instance-action":"terminate"}}
                """.formatted(id, time, REGION, REGION, instanceId, instanceId);
    }

    static String rebalance(String instanceId, Instant time) {
        return """
                {"version":"0","id":"5e2c1a4b-7a0e-4a51-8f7e-2b1c0e9d8f70","detail-type":"EC2 Instance Rebalance Recommendation",
                 "source":"aws.ec2","account":"123456789012","time":"%s","region":"%s",
                 "resources":["arn:aws:ec2:%s:123456789012:instance/%s"],"detail":{"instance-id":"%s"}}
                """.formatted(time, REGION, REGION, instanceId, instanceId);
    }

    static String launchUnsuccessful(String group, String message, Instant time) {
        return """
                {"version":"0","id":"1f0d3a4c-2b5e-4c6d-8e7f-9a0b1c2d3e4f","detail-type":"EC2 Instance Launch Unsuccessful",
                 "source":"aws.autoscaling","account":"123456789012","time":"%s","region":"%s",
                 "resources":["arn:aws:autoscaling:%s:123456789012:autoScalingGroup:5a8f2a1e-1c3b-4a5e-9d2f-0123456789ab:autoScalingGroupName/%s"],
                 "detail":{"StatusCode":"Failed","AutoScalingGroupName":"%s","ActivityId":"87654321-4321-4321-4321-210987654321",
                  "Details":{"Availability Zone":"us-east-2a","Subnet ID":"subnet-12345678"},"RequestId":"12345678-1234-1234-1234-123456789012",
                  "StatusMessage":"%s","EndTime":"%s","StartTime":"%s","Cause":"At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3."}}
                """.formatted(time, REGION, REGION, group, group, message, time, time, time);
    }

    static String schedule(Instant time) {
        return """
                {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",
                 "time":"%s","region":"%s","resources":["arn:aws:events:%s:123456789012:rule/deckhand-HoldCapacityFunctionHandBack-1A2B3C"],
                 "detail":{}}
                """.formatted(java.util.UUID.nameUUIDFromBytes(time.toString().getBytes(StandardCharsets.UTF_8)), time, REGION, REGION);
    }
}
