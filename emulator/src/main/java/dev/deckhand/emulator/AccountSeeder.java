package dev.deckhand.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.LaunchType;

/**
 * Seeds the emulator the way ECS would look with real EC2 capacity: clusters, EC2 instances
 * registered as container instances (Spot or On-Demand, in a chosen AZ), task definitions,
 * services, and tasks placed on chosen instances.
 *
 * <pre>{@code
 * AccountSeeder seed = new AccountSeeder(LocalAws.shared(), "us-east-2");
 * seed.cluster("web");
 * SeededInstance a = seed.instance("web", "a", true);
 * String td = seed.taskDefinition("api", 256, 512, 30);
 * seed.serviceTasks("web", "api", td, List.of(a, a));
 * }</pre>
 */
public final class AccountSeeder {

    /** Emulator-only: RunInstances with this instance tag gets the tag's value as its id. */
    public static final String INSTANCE_ID_TAG = "deckhand:emulator-instance-id";
    public static final String AMI = "ami-0a1b2c3d4e5f60718";
    /**
     * The operator's tag on a managed cluster's groups, fleets and instances (its value: the
     * cluster's name), which Deckhand's IAM scopes its writes by (README, "What you grant").
     */
    public static final String CLUSTER_TAG = "deckhand:cluster";

    public record SeededInstance(String cluster, String ec2InstanceId, String containerInstanceArn, String availabilityZone,
                                 boolean spot) {
    }

    private final EcsClient ecs;
    private final Ec2Client ec2;
    private final String region;
    private final AtomicInteger deployments = new AtomicInteger();

    public AccountSeeder(LocalAws aws, String region) {
        this(aws.client(EcsClient.builder(), region), aws.client(Ec2Client.builder(), region), region);
    }

    public AccountSeeder(EcsClient ecs, Ec2Client ec2, String region) {
        this.ecs = ecs;
        this.ec2 = ec2;
        this.region = region;
    }

    public EcsClient ecs() {
        return ecs;
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public String region() {
        return region;
    }

    public String cluster(String name) {
        return ecs.createCluster(r -> r.clusterName(name)).cluster().clusterArn();
    }

    /** An EC2 instance in AZ {@code region + azSuffix}, registered in {@code cluster}. */
    public SeededInstance instance(String cluster, String azSuffix, boolean spot) {
        return instance(cluster, azSuffix, spot, null);
    }

    public SeededInstance instance(String cluster, String azSuffix, boolean spot, String fixedInstanceId) {
        Instance instance = launch(azSuffix, spot, fixedInstanceId);
        ec2.createTags(r -> r.resources(instance.instanceId()).tags(Tag.builder().key(CLUSTER_TAG).value(cluster).build()));
        String document = "{\"instanceId\":\"" + instance.instanceId() + "\",\"availabilityZone\":\""
                + instance.placement().availabilityZone() + "\",\"region\":\"" + region + "\"}";
        String arn = ecs.registerContainerInstance(r -> r.cluster(cluster).instanceIdentityDocument(document))
                .containerInstance().containerInstanceArn();
        return new SeededInstance(cluster, instance.instanceId(), arn, instance.placement().availabilityZone(), spot);
    }

    /** An EC2 instance that is not registered in any cluster. */
    public Instance launch(String azSuffix, boolean spot, String fixedInstanceId) {
        return launch(azSuffix, spot, fixedInstanceId, null);
    }

    /** As above, with user data (e.g. {@code ECS_CLUSTER=demo-batch}, which the ECS agent reads). */
    public Instance launch(String azSuffix, boolean spot, String fixedInstanceId, String userData) {
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.builder().key("Name").value("deckhand-demo").build());
        if (fixedInstanceId != null) {
            tags.add(Tag.builder().key(INSTANCE_ID_TAG).value(fixedInstanceId).build());
        }
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(AMI)
                .instanceType(InstanceType.M5_LARGE)
                .minCount(1)
                .maxCount(1)
                .placement(p -> p.availabilityZone(region + azSuffix))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
        if (spot) {
            request.instanceMarketOptions(m -> m.marketType(MarketType.SPOT));
        }
        if (userData != null) {
            request.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        return ec2.runInstances(request.build()).instances().get(0);
    }

    /** A task definition with one container; {@code stopTimeoutSeconds} may be null (ECS default, 30 s). */
    public String taskDefinition(String family, int cpu, int memoryMiB, Integer stopTimeoutSeconds) {
        ContainerDefinition container = ContainerDefinition.builder()
                .name(family)
                .image("public.ecr.aws/docker/library/busybox:latest")
                .cpu(cpu)
                .memory(memoryMiB)
                .stopTimeout(stopTimeoutSeconds)
                .essential(true)
                .build();
        return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(container))
                .taskDefinition().taskDefinitionArn();
    }

    /** A service record. The emulator places no tasks for it: see {@link #serviceTasks}. */
    public String service(String cluster, String name, String taskDefinitionArn, int desiredCount) {
        return ecs.createService(r -> r.cluster(cluster).serviceName(name).taskDefinition(taskDefinitionArn)
                .desiredCount(desiredCount).launchType(LaunchType.EC2)).service().serviceArn();
    }

    /** The id ECS puts in a service task's startedBy: the service's primary deployment. */
    public String deploymentId(String cluster, String service) {
        List<Deployment> list = ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0).deployments();
        return list.isEmpty() ? "ecs-svc/" + (1000000000000000000L + deployments.incrementAndGet()) : list.get(0).id();
    }

    /** Tasks of {@code service}, one on each instance listed (an instance may be listed twice). */
    public List<String> serviceTasks(String cluster, String service, String taskDefinitionArn, List<SeededInstance> on) {
        String startedBy = deploymentId(cluster, service);
        List<String> arns = new ArrayList<>();
        for (SeededInstance instance : on) {
            arns.add(ecs.startTask(r -> r.cluster(cluster).taskDefinition(taskDefinitionArn)
                    .containerInstances(instance.containerInstanceArn())
                    .group("service:" + service)
                    .startedBy(startedBy)).tasks().get(0).taskArn());
        }
        return arns;
    }

    /** A task that no service started: nothing replaces it when its instance drains. */
    public String standaloneTask(String cluster, String taskDefinitionArn, SeededInstance on) {
        return ecs.startTask(r -> r.cluster(cluster).taskDefinition(taskDefinitionArn)
                .containerInstances(on.containerInstanceArn())).tasks().get(0).taskArn();
    }
}
