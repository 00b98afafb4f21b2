package dev.deckhand.drain.handler;

import dev.deckhand.testkit.Handlers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.drain.DrainConfig;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.LocalAws;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** An empty emulated account for drain-instance's tests: the seeder, counted clients, the recheck queue. */
final class TestAccount {

    static final String REGION = "us-east-2";
    static final ObjectMapper JSON = new ObjectMapper();

    final LocalAws aws = LocalAws.shared();
    final AwsCallCounter calls = new AwsCallCounter();
    final AccountSeeder seed;
    final EcsClient ecs;
    final Ec2Client ec2;
    final AutoScalingClient autoscaling;
    final SqsClient sqs;
    final SsmClient ssm;
    final String queueUrl;

    TestAccount(ExecutionInterceptor... extra) {
        aws.reset();
        seed = new AccountSeeder(aws, REGION);
        ExecutionInterceptor[] interceptors = new ExecutionInterceptor[extra.length + 1];
        interceptors[0] = calls;
        System.arraycopy(extra, 0, interceptors, 1, extra.length);
        ecs = aws.functionClient("DrainInstanceFunction", EcsClient.builder(), REGION, interceptors);
        ec2 = aws.functionClient("DrainInstanceFunction", Ec2Client.builder(), REGION, interceptors);
        autoscaling = aws.functionClient("DrainInstanceFunction", AutoScalingClient.builder(), REGION, interceptors);
        sqs = aws.functionClient("DrainInstanceFunction", SqsClient.builder(), REGION, interceptors);
        ssm = aws.functionClient("DrainInstanceFunction", SsmClient.builder(), REGION, interceptors);
        queueUrl = aws.client(SqsClient.builder(), REGION).createQueue(r -> r.queueName("DrainRecheckQueue")).queueUrl();
    }

    DrainConfig config(ManagedClusters clusters, boolean dryRun) {
        return DrainConfig.defaults(clusters, dryRun, REGION, queueUrl);
    }

    DrainInstanceHandler handler(DrainConfig config, Clock clock) {
        return new DrainInstanceHandler(config, ecs, ec2, autoscaling, sqs, ssm, calls, clock);
    }

    static JsonNode invoke(DrainInstanceHandler handler, String event) throws IOException {
        return Handlers.invoke(handler, event);
    }

    /** The hook's group, tagged as the operator tags a managed cluster's groups (Deckhand's IAM is scoped by it). */
    void hookGroup(String group) {
        AutoScalingClient groups = aws.client(AutoScalingClient.builder(), REGION);
        if (groups.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().isEmpty()) {
            new GroupSeeder(groups, aws.client(Ec2Client.builder(), REGION), REGION)
                    .onDemand(group, 0, 4, Map.of(AccountSeeder.CLUSTER_TAG, "batch"));
        }
    }

    /** The instance joins {@code group} (created as {@link #hookGroup} does), with Capacity Rebalancing on or off. */
    void inGroup(String instanceId, String group, boolean capacityRebalance) {
        hookGroup(group);
        AutoScalingClient groups = aws.client(AutoScalingClient.builder(), REGION);
        groups.attachInstances(r -> r.autoScalingGroupName(group).instanceIds(instanceId));
        groups.updateAutoScalingGroup(r -> r.autoScalingGroupName(group).capacityRebalance(capacityRebalance));
    }

    /** The container instance's status as ECS describes it now (read with the emulator's own key, not the function's). */
    String status(SeededInstance instance) {
        return aws.client(EcsClient.builder(), REGION).describeContainerInstances(r -> r.cluster(instance.cluster())
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0).status();
    }

    /** The container instance's tags, by key. */
    Map<String, String> tags(SeededInstance instance) {
        Map<String, String> tags = new HashMap<>();
        aws.client(EcsClient.builder(), REGION).listTagsForResource(r -> r.resourceArn(instance.containerInstanceArn()))
                .tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        return tags;
    }

    /** The emulator's record of every lifecycle action: state, heartbeats. */
    JsonNode lifecycleActions() {
        return aws.control("autoscaling/lifecycle-actions", Map.of("region", REGION)).path("actions");
    }

    /** An instance starts waiting on a hook, as when Auto Scaling sends the lifecycle event. */
    void waitOnHook(String group, String hook, String instanceId, String token, String transition) {
        hookGroup(group);
        aws.control("autoscaling/lifecycle-action", Map.of("region", REGION, "group", group, "hook", hook,
                "instanceId", instanceId, "token", token, "transition", transition));
    }
}
