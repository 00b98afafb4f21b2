package dev.deckhand.local.demo;

import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * What open-ticket's samples name, added to the demo account when an event is routed to
 * open-ticket: ECR repository demo/report-builder with one scanned image (the digest the ECR and
 * Inspector samples name, its findings), service report-builder in demo-batch whose task
 * definition runs that image by digest (one task running, one stopped with its reason: the
 * evidence of the failed-deployment sample), and CodeDeploy application report-builder whose
 * deployment group deploys that service.
 */
public final class OpenTicketDemo {

    public static final String REPOSITORY = "demo/report-builder";
    /** The digest the emulator gives the demo image; the ECR and Inspector samples name it. */
    public static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static final String TAG = "2026.11.22";
    public static final String CLUSTER = "demo-batch";
    public static final String SERVICE = "report-builder";

    private OpenTicketDemo() {
    }

    public static void seed(LocalAws emulator, AccountSeeder seed, EcrClient ecr, CodeDeployClient codeDeploy, String region) {
        ecr.createRepository(r -> r.repositoryName(REPOSITORY));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":"
                + "{\"digest\":\"sha256:" + "a".repeat(64) + "\",\"size\":1,\"mediaType\":\"application/vnd.docker.container.image.v1+json\"},\"layers\":[]}";
        String digest = ecr.putImage(r -> r.repositoryName(REPOSITORY).imageManifest(manifest).imageTag(TAG)).image().imageId().imageDigest();
        ecr.startImageScan(r -> r.repositoryName(REPOSITORY).imageId(i -> i.imageTag(TAG)));
        scanFindings(emulator, region, digest);

        EcsClient ecs = seed.ecs();
        String account = "123456789012";
        String image = account + ".dkr.ecr." + region + ".amazonaws.com/" + REPOSITORY + "@" + digest;
        String taskDefinition = ecs.registerTaskDefinition(r -> r.family(SERVICE).requiresCompatibilities(
                        Compatibility.EC2)
                .containerDefinitions(ContainerDefinition.builder().name("report-builder").image(image).cpu(256).memory(512).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
        seed.service(CLUSTER, SERVICE, taskDefinition, 1);
        String arn = ecs.listContainerInstances(r -> r.cluster(CLUSTER)).containerInstanceArns().get(1);
        ContainerInstance instance = ecs.describeContainerInstances(r -> r.cluster(CLUSTER).containerInstances(arn)).containerInstances().get(0);
        AccountSeeder.SeededInstance on = new AccountSeeder.SeededInstance(CLUSTER, instance.ec2InstanceId(), arn, "", false);
        List<String> tasks = seed.serviceTasks(CLUSTER, SERVICE, taskDefinition, List.of(on, on));
        emulator.control("ecs/task", Map.of("region", region, "cluster", CLUSTER, "task", tasks.get(1), "lastStatus", "STOPPED",
                "stopCode", "EssentialContainerExited", "stoppedReason", "Essential container in task exited"));

        codeDeploy.createApplication(r -> r.applicationName(SERVICE).computePlatform("ECS"));
        codeDeploy.createDeploymentGroup(r -> r.applicationName(SERVICE).deploymentGroupName(SERVICE + "-blue-green")
                .serviceRoleArn("arn:aws:iam::" + account + ":role/codedeploy-ecs")
                .ecsServices(s -> s.clusterName(CLUSTER).serviceName(SERVICE)));
    }

    /** moto's API for a scan's findings (its own, documented in moto's ECR backend). */
    private static void scanFindings(LocalAws emulator, String region, String digest) {
        String finding = "{\"name\":\"%s\",\"uri\":\"https://nvd.nist.gov/vuln/detail/%s\",\"severity\":\"%s\",\"attributes\":"
                + "[{\"key\":\"package_name\",\"value\":\"%s\"},{\"key\":\"package_version\",\"value\":\"%s\"}]}";
        String findings = String.join(",",
                String.format(finding, "CVE-2024-6387", "CVE-2024-6387", "CRITICAL", "openssh", "8.7p1"),
                String.format(finding, "CVE-2023-44487", "CVE-2023-44487", "HIGH", "nghttp2", "1.43.0"),
                String.format(finding, "CVE-2024-2961", "CVE-2024-2961", "HIGH", "glibc", "2.34"),
                String.format(finding, "CVE-2023-5678", "CVE-2023-5678", "MEDIUM", "openssl", "3.0.8"));
        String body = "{\"region\":\"" + region + "\",\"results\":[{\"registryId\":\"123456789012\",\"repositoryName\":\"" + REPOSITORY
                + "\",\"imageId\":{\"imageDigest\":\"" + digest + "\"},\"imageScanStatus\":{\"status\":\"COMPLETE\"},"
                + "\"imageScanFindings\":{\"findings\":[" + findings + "],\"findingSeverityCounts\":{\"CRITICAL\":1,\"HIGH\":2,\"MEDIUM\":1}}}]}";
        try {
            HttpURLConnection connection = (HttpURLConnection) emulator.endpoint().resolve("/moto-api/static/ecr/scan-finding-results").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            if (connection.getResponseCode() != 201 && connection.getResponseCode() != 200) {
                throw new IllegalStateException("emulator refused the demo scan findings: " + connection.getResponseCode());
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException("cannot seed the demo scan findings", e);
        }
    }
}
