package dev.deckhand.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.config.ManagedClusters;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.AccountSeeder.SeededInstance;
import dev.deckhand.emulator.LocalAws;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

@Tag("emulator")
class ClusterDirectoryTest {

    private static final String REGION = "us-east-2";
    private final AwsCallCounter calls = new AwsCallCounter();
    private AccountSeeder seed;
    private EcsClient ecs;

    @BeforeEach
    void emptyAccount() {
        LocalAws.shared().reset();
        seed = new AccountSeeder(LocalAws.shared(), REGION);
        ecs = LocalAws.shared().client(EcsClient.builder(), REGION, calls);
    }

    @Test
    void find_instanceInSecondCluster_asksEachClusterOnce_thenDescribesTheMatch() {
        seed.cluster("web");
        seed.cluster("batch");
        seed.instance("web", "a", true);
        SeededInstance target = seed.instance("batch", "b", true);
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.of("web", "batch"), Clock.systemUTC());

        Optional<FoundInstance> found = directory.find(target.ec2InstanceId());

        assertEquals("batch", found.orElseThrow().cluster());
        assertEquals(target.containerInstanceArn(), found.get().containerInstanceArn());
        assertEquals(List.of("ecs:ListContainerInstances", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances"),
                calls.calls());
    }

    @Test
    void find_secondTime_describesTheRememberedInstanceOnly() {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", false);
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.of("web", "batch"), Clock.systemUTC());
        directory.find(target.ec2InstanceId());
        calls.reset();

        directory.find(target.ec2InstanceId());

        assertEquals(List.of("ecs:DescribeContainerInstances"), calls.calls());
    }

    @Test
    void find_rememberedInstanceDeregistered_searchesAgain() {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", false);
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.of("web", "batch"), Clock.systemUTC());
        directory.find(target.ec2InstanceId());
        ecs.deregisterContainerInstance(r -> r.cluster("batch").containerInstance(target.containerInstanceArn()).force(true));
        String document = "{\"instanceId\":\"" + target.ec2InstanceId() + "\"}";
        String reRegistered = ecs.registerContainerInstance(r -> r.cluster("web").instanceIdentityDocument(document))
                .containerInstance().containerInstanceArn();

        Optional<FoundInstance> found = directory.find(target.ec2InstanceId());

        assertEquals("web", found.orElseThrow().cluster());
        assertEquals(reRegistered, found.get().containerInstanceArn());
    }

    @Test
    void find_unknownInstance_isEmpty() {
        seed.cluster("web");
        seed.instance("web", "a", true);

        assertTrue(new ClusterDirectory(ecs, ManagedClusters.of("web"), Clock.systemUTC()).find("i-0123456789abcdef0").isEmpty());
    }

    @Test
    void find_skipsAConfiguredClusterThatDoesNotExist() {
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);

        Optional<FoundInstance> found = new ClusterDirectory(ecs, ManagedClusters.of("gone", "batch"), Clock.systemUTC())
                .find(target.ec2InstanceId());

        assertEquals("batch", found.orElseThrow().cluster());
    }

    @Test
    void find_ignoresClustersThatAreNotManaged() {
        seed.cluster("web");
        seed.cluster("other");
        SeededInstance elsewhere = seed.instance("other", "a", true);

        assertTrue(new ClusterDirectory(ecs, ManagedClusters.of("web"), Clock.systemUTC()).find(elsewhere.ec2InstanceId()).isEmpty());
    }

    @Test
    void candidates_allClusters_pagesListClusters_andListsOncePerTtl() {
        for (int i = 0; i < 105; i++) {
            seed.cluster(String.format("c%03d", i));
        }
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.all(), Clock.systemUTC());

        List<String> first = directory.candidates();
        List<String> second = directory.candidates();

        assertEquals(105, first.size());
        assertEquals(first, second);
        assertEquals(List.of("ecs:ListClusters", "ecs:ListClusters"), calls.calls());
    }

    @Test
    void clusters_bounded_stopsPagingPastTheBound_andKeepsOnlyACompleteListing() {
        for (int i = 0; i < 105; i++) {
            seed.cluster(String.format("c%03d", i));
        }
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.all(), Clock.systemUTC());

        List<String> bounded = directory.clusters(50);
        List<String> all = directory.clusters();
        List<String> boundedAgain = directory.clusters(50);

        assertEquals(51, bounded.size(), "the bound and one more: one page of 100 is past it, no second page is asked for");
        assertEquals(105, all.size(), "the bounded listing was not kept as the account's clusters");
        assertEquals(all.subList(0, 51), boundedAgain, "the bound and one more, from the complete listing");
        assertEquals(List.of("ecs:ListClusters", "ecs:ListClusters", "ecs:ListClusters"), calls.calls());
    }

    @Test
    void candidates_askClustersWithRecentFindsFirst() {
        seed.cluster("web");
        seed.cluster("batch");
        SeededInstance target = seed.instance("batch", "a", true);
        ClusterDirectory directory = new ClusterDirectory(ecs, ManagedClusters.of("web", "batch"), Clock.systemUTC());

        directory.find(target.ec2InstanceId());

        assertEquals(List.of("batch", "web"), directory.candidates());
    }

    @Test
    void isInstanceId_acceptsShortAndLongIdsOnly() {
        assertTrue(ClusterDirectory.isInstanceId("i-12345678"));
        assertTrue(ClusterDirectory.isInstanceId("i-1234567890abcdef0"));
        assertTrue(!ClusterDirectory.isInstanceId("i-XYZ"));
        assertTrue(!ClusterDirectory.isInstanceId("i-1234567890abcdef0; rm -rf /"));
        assertTrue(!ClusterDirectory.isInstanceId(null));
    }
}
