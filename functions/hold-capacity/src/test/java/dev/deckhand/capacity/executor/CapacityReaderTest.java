package dev.deckhand.capacity.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deckhand.core.aws.AwsCallCounter;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.GroupSeeder;
import dev.deckhand.emulator.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** CapacityReader's reads against the emulator, where a whole hand-back would not reach the case. */
@Tag("emulator")
class CapacityReaderTest {

    static final String REGION = "us-east-2";

    /**
     * Between reading a group and describing its instances an instance can go: DescribeInstances by
     * InstanceIds then fails the whole call (InvalidInstanceID.NotFound, "If you specify an instance
     * ID that is not valid, an error is returned"), the instance-id filter does not
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html).
     */
    @Test
    void newestOnDemand_skipsAnInstanceEc2NoLongerKnows() {
        LocalAws aws = LocalAws.shared();
        aws.reset();
        AwsCallCounter calls = new AwsCallCounter();
        Ec2Client setupEc2 = aws.client(Ec2Client.builder(), REGION);
        GroupSeeder groups = new GroupSeeder(aws.client(AutoScalingClient.builder(), REGION), setupEc2, REGION);
        List<String> candidates = new ArrayList<>(groups.onDemand("web-od", 2, 5, Map.of()).instances().stream()
                .map(i -> i.instanceId()).toList());
        String gone = setupEc2.runInstances(r -> r.imageId(AccountSeeder.AMI).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        setupEc2.terminateInstances(r -> r.instanceIds(gone));
        aws.control("ec2/forget-terminated", Map.of("region", REGION, "instanceIds", List.of(gone)));
        candidates.add(gone);
        CapacityReader reader = new CapacityReader(aws.functionClient("HoldCapacityFunction", AutoScalingClient.builder(), REGION, calls),
                aws.functionClient("HoldCapacityFunction", Ec2Client.builder(), REGION, calls), 10);

        String picked = reader.newestOnDemand(candidates);

        assertEquals(true, candidates.subList(0, 2).contains(picked), picked);
    }
}
