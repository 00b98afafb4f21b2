package dev.deckhand.local.demo;

import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.FleetSeeder;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2ServiceClientConfiguration;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The part of the demo account that rotate-ami works on (seeded by {@link DemoAccount#seed}):
 *
 * <pre>
 * images      ecs-al2023-2026.11 (what everything runs)   ecs-al2023-2026.12 (just published)
 * parameter   /deckhand/demo/ecs-ami = the 2026.12 image, so a replayed schedule starts a rotation
 *             (and so does a replayed change of it, events/parameter-store-change.json; RotateAmiParameterPath /deckhand/demo/*)
 * pipeline    the 2026.12 image is Image Builder's deckhand-demo-ecs/2026.12.0/1 (tag Ec2ImageBuilderArn):
 *             events/imagebuilder-image-available.json
 * templates   demo-fleet-od (On-Demand) and demo-fleet-spot, both tagged deckhand:ami-parameter, version 1 on 2026.11
 * demo-fleet  a cluster of 7 instances: Auto Scaling group demo-fleet-asg (3, pinned to version 1),
 *             an EC2 Fleet of type maintain (2 Spot, version 1) and a Spot Fleet request (2, version 1),
 *             with the ids the fleet samples in events/ name;
 *             service fleet-worker x4
 * </pre>
 *
 * A cluster of its own, so the other samples' replays see the demo they always did.
 */
public final class DemoRotation {

    public static final String CLUSTER = "demo-fleet";
    public static final String PARAMETER = "/deckhand/demo/ecs-ami";
    /**
     * The demo's {@code RotateAmiParameterPath}, as a deployment for it sets it: the parameters rotate-ami
     * may read, and whose changes reach it (the default, AWS's public parameters, never reach an account's bus).
     */
    public static final String PARAMETER_PATH = "/deckhand/demo/*";
    /** The Image Builder image build version that published the 2026.12 image (its AMI's {@code Ec2ImageBuilderArn} tag). */
    public static final String IMAGE_BUILD_VERSION = "arn:aws:imagebuilder:%s:123456789012:image/deckhand-demo-ecs/2026.12.0/1";
    public static final String ASG = "demo-fleet-asg";
    /** The fleets the samples in events/ name (ec2-fleet-error.json, spot-fleet-error*.json, ec2-fleet-instance-launched.json). */
    public static final String SAMPLE_EC2_FLEET_ID = "fleet-9bb19bc6-60d3-4fd2-ae47-d33e68eafa08";
    public static final String SAMPLE_SPOT_FLEET_ID = "sfr-38725d30-25f1-4f30-83ce-2907c56dba17";

    private DemoRotation() {
    }

    public static void seed(AccountSeeder seed) {
        Ec2ServiceClientConfiguration config = seed.ec2().serviceClientConfiguration();
        FleetSeeder fleets = new FleetSeeder(seed.ecs(), seed.ec2(), like(AutoScalingClient.builder(), config),
                like(SsmClient.builder(), config), seed.region());
        String current = fleets.image("ecs-al2023-2026.11");
        String published = fleets.image("ecs-al2023-2026.12");
        // What Image Builder puts on each output AMI (Image Builder User Guide, "Tag Image Builder output resources").
        seed.ec2().createTags(r -> r.resources(published).tags(t -> t.key("CreatedBy").value("EC2 Image Builder"),
                t -> t.key("Ec2ImageBuilderArn").value(IMAGE_BUILD_VERSION.formatted(seed.region()))));
        fleets.parameter(PARAMETER, published);
        seed.cluster(CLUSTER);
        String onDemand = fleets.template("demo-fleet-od", current, CLUSTER, PARAMETER);
        String spot = fleets.template("demo-fleet-spot", current, CLUSTER, PARAMETER);
        var group = fleets.autoScalingGroup(ASG, onDemand, "1", CLUSTER, 3);
        fleets.register(CLUSTER, fleets.ec2FleetInstances(fleets.ec2Fleet(spot, "1", 2, true, SAMPLE_EC2_FLEET_ID)));
        fleets.register(CLUSTER, fleets.spotFleetInstances(fleets.spotFleet(spot, "1", 2, SAMPLE_SPOT_FLEET_ID)));
        String worker = seed.taskDefinition("fleet-worker", 512, 1024, 30);
        seed.service(CLUSTER, "fleet-worker", worker, 4);
        seed.ecs().updateService(r -> r.cluster(CLUSTER).service("fleet-worker")
                .deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(200)));
        seed.serviceTasks(CLUSTER, "fleet-worker", worker, List.of(group.get(0), group.get(1), group.get(2), group.get(0)));
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C like(B builder, Ec2ServiceClientConfiguration config) {
        builder.region(config.region()).credentialsProvider(config.credentialsProvider())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
