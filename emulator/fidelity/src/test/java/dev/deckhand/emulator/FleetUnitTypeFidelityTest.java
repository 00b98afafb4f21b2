package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;

/**
 * Pins emulator/python/deckhand_emulator/fleet_units.py to fleets whose target capacity is in vCPUs
 * or MiB: TargetCapacityUnitType is "the unit for the target capacity. You can specify this parameter
 * only when using attribute-based instance type selection. Default: units (the number of instances)"
 * (EC2 API Reference, TargetCapacitySpecificationRequest,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TargetCapacitySpecificationRequest.html,
 * and SpotFleetRequestConfigData,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SpotFleetRequestConfigData.html); with
 * InstanceRequirements "Amazon EC2 will identify instance types with those attributes" (User Guide,
 * "Specify attributes for instance type selection for EC2 Fleet or Spot Fleet",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-attribute-based-instance-type-selection.html).
 * Each member counts its type's vCPUs or memory in MiB toward the targets and the fulfilled capacity.
 */
@Tag("emulator")
class FleetUnitTypeFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private FleetSeeder seeder;
    private String template;

    @BeforeEach
    void template() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        seeder = fleets();
        template = seeder.plainTemplate("batch");
    }

    private InstanceTypeInfo typeOf(String instanceId) {
        String type = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0).instanceTypeAsString();
        return ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(type)).instanceTypes().get(0);
    }

    private FleetData fleet(String id) {
        return ec2.describeFleets(r -> r.fleetIds(id)).fleets().get(0);
    }

    private List<ActiveInstance> fleetMembers(String id) {
        return ec2.describeFleetInstances(r -> r.fleetId(id)).activeInstances();
    }

    private SpotFleetRequestConfigData spotFleet(String id) {
        return ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs().get(0).spotFleetRequestConfig();
    }

    private List<ActiveInstance> spotFleetMembers(String id) {
        return ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(id)).activeInstances();
    }

    @Test
    void ec2FleetInVcpus_launchesATypeMeetingTheRequirements_andCountsItsVcpus() {
        String id = seeder.ec2FleetByAttributes(template, "1", 4, 4, "vcpu", 4, 16384);

        assertEquals("vcpu", fleet(id).targetCapacitySpecification().targetCapacityUnitTypeAsString());
        assertEquals(2, fleetMembers(id).size(), "4 Spot vCPUs and 4 On-Demand vCPUs: one 4-vCPU instance each");
        InstanceTypeInfo type = typeOf(fleetMembers(id).get(0).instanceId());
        assertEquals(List.of(4, 16384L), List.of(type.vCpuInfo().defaultVCpus(), type.memoryInfo().sizeInMiB()));
        assertEquals(8.0, fleet(id).fulfilledCapacity());
        assertEquals(4.0, fleet(id).fulfilledOnDemandCapacity());
    }

    @Test
    void ec2FleetInVcpus_raisedByTwoVcpus_launchesOneWholeInstance() {
        String id = seeder.ec2FleetByAttributes(template, "1", 4, 4, "vcpu", 4, 16384);

        ec2.modifyFleet(r -> r.fleetId(id).targetCapacitySpecification(c -> c.totalTargetCapacity(10).onDemandTargetCapacity(6)));

        assertEquals(3, fleetMembers(id).size());
        assertEquals(8.0, fleet(id).fulfilledOnDemandCapacity(), "6 vCPUs asked, two 4-vCPU instances");
    }

    @Test
    void spotFleetInMib_countsItsMembersMemory() {
        String id = seeder.spotFleetByAttributes(template, "1", 16384, 16384, "memory-mib", 4, 16384);

        assertEquals("memory-mib", spotFleet(id).targetCapacityUnitTypeAsString());
        assertEquals(2, spotFleetMembers(id).size());
        assertEquals(32768.0, spotFleet(id).fulfilledCapacity());
        assertEquals(16384.0, spotFleet(id).onDemandFulfilledCapacity());
    }

    @Test
    void spotFleetInVcpus_raisedByFourVcpus_launchesOneInstance_andALostMemberIsReplacedByItsVcpus() {
        String id = seeder.spotFleetByAttributes(template, "1", 4, 4, "vcpu", 4, 16384);

        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(id).targetCapacity(12).onDemandTargetCapacity(8));
        assertEquals(3, spotFleetMembers(id).size());
        assertEquals(8.0, spotFleet(id).onDemandFulfilledCapacity());

        String spot = spotFleetMembers(id).stream().filter(m -> m.spotInstanceRequestId() != null).findFirst().orElseThrow().instanceId();
        ec2.terminateInstances(r -> r.instanceIds(spot));
        assertEquals(3, spotFleetMembers(id).size(), "one 4-vCPU instance for the 4 vCPUs lost");
        assertEquals(12.0, spotFleet(id).fulfilledCapacity());
    }

    @Test
    void aUnitTypeWithoutInstanceRequirements_isRefused() {
        assertThrows(Ec2Exception.class, () -> ec2.createFleet(r -> r.type(FleetType.MAINTAIN)
                .targetCapacitySpecification(c -> c.totalTargetCapacity(8).defaultTargetCapacityType("spot").targetCapacityUnitType("vcpu"))
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))));
        assertThrows(Ec2Exception.class, () -> ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c
                .iamFleetRole("arn:aws:iam::123456789012:role/fleet").targetCapacity(8).targetCapacityUnitType("memory-mib")
                .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1"))))));
    }
}
