package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Pins emulator/python/deckhand_emulator/ec2_instances.py to the Amazon EC2 API Reference,
 * DescribeInstances (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html):
 * "If you specify an instance ID that is not valid, an error is returned" and "Recently terminated
 * instances might appear in the returned results. This interval is usually less than one hour";
 * and to "Error codes for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html):
 * InvalidInstanceID.Malformed ("The specified instance ID is malformed") and
 * InvalidInstanceID.NotFound ("The specified instance does not exist").
 */
@Tag("emulator")
class Ec2InstanceFidelityTest extends EmptyAccountTest {

    private static final String GONE = "i-0123456789abcdef0";
    private static final String ALSO_GONE = "i-0fedcba9876543210";
    private static final String ANYWHERE = "mi-0123456789abcdef0";

    private Ec2Client ec2;
    private String running;

    @BeforeEach
    void oneRunningInstance() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        running = seed.launch("a", false, null).instanceId();
    }

    private List<Instance> describeByFilter(String... ids) {
        return ec2.describeInstances(r -> r.filters(f -> f.name("instance-id").values(ids))).reservations().stream()
                .flatMap(reservation -> reservation.instances().stream()).toList();
    }

    @Test
    void describeById_anIdOfNoInstance_failsTheWholeCall_namingEveryMissingId() {
        Ec2Exception error = assertThrows(Ec2Exception.class, () -> ec2.describeInstances(r -> r.instanceIds(running, GONE, ALSO_GONE)));

        assertEquals("InvalidInstanceID.NotFound", error.awsErrorDetails().errorCode());
        assertEquals("The instance IDs '" + GONE + ", " + ALSO_GONE + "' do not exist", error.awsErrorDetails().errorMessage());
        Ec2Exception one = assertThrows(Ec2Exception.class, () -> ec2.describeInstances(r -> r.instanceIds(GONE)));
        assertEquals("The instance ID '" + GONE + "' does not exist", one.awsErrorDetails().errorMessage());
    }

    @Test
    void describeById_anEcsAnywhereManagedInstanceId_isMalformed() {
        Ec2Exception error = assertThrows(Ec2Exception.class, () -> ec2.describeInstances(r -> r.instanceIds(running, ANYWHERE)));

        assertEquals("InvalidInstanceID.Malformed", error.awsErrorDetails().errorCode());
        assertEquals("Invalid id: \"" + ANYWHERE + "\"", error.awsErrorDetails().errorMessage());
    }

    @Test
    void describeByTheInstanceIdFilter_neverFailsForAnId_andListsOnlyInstancesThatExist() {
        assertEquals(List.of(running), describeByFilter(running, GONE, ANYWHERE).stream().map(Instance::instanceId).toList());
    }

    @Test
    void terminatedInstance_isDescribedAsTerminated_thenGoneAfterTheHour() {
        ec2.terminateInstances(r -> r.instanceIds(running));

        assertEquals("terminated", ec2.describeInstances(r -> r.instanceIds(running)).reservations().get(0).instances().get(0)
                .state().nameAsString());

        aws.control("ec2/forget-terminated", Map.of("region", REGION, "instanceIds", List.of(running)));

        Ec2Exception error = assertThrows(Ec2Exception.class, () -> ec2.describeInstances(r -> r.instanceIds(running)));
        assertEquals("InvalidInstanceID.NotFound", error.awsErrorDetails().errorCode());
        assertEquals(List.of(), describeByFilter(running));
    }
}
