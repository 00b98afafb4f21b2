package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.FleetData;

/**
 * Pins emulator/python/deckhand_emulator/fleet_on_demand.py to an EC2 Fleet's targets in units: an
 * override's WeightedCapacity is "the number of units provided by the specified instance type ...
 * If the target capacity divided by this value is not a whole number, Amazon EC2 rounds the number
 * of instances to the next whole number" (EC2 API Reference, FleetLaunchTemplateOverridesRequest,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FleetLaunchTemplateOverridesRequest.html);
 * FulfilledCapacity is "the number of units fulfilled by this request compared to the set target
 * capacity" (FleetData, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FleetData.html).
 */
@Tag("emulator")
class FleetUnitsFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private String fleet;

    @BeforeEach
    void weightedFleet() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        FleetSeeder seeder = fleets();
        String template = seeder.plainTemplate("batch");
        fleet = seeder.weightedEc2Fleet(template, "1", 4, 4, "m5.xlarge", 4);
    }

    private FleetData described() {
        return ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0);
    }

    private List<ActiveInstance> members() {
        return ec2.describeFleetInstances(r -> r.fleetId(fleet)).activeInstances();
    }

    private List<String> onDemand() {
        return members().stream().filter(i -> i.spotInstanceRequestId() == null || !i.spotInstanceRequestId().startsWith("sir-"))
                .map(ActiveInstance::instanceId).toList();
    }

    @Test
    void targetsInUnits_launchOneInstancePerWeight_andDescribeUnitsFulfilled() {
        assertEquals(2, members().size(), "4 Spot units and 4 On-Demand units: one m5.xlarge each");
        assertEquals(8.0, described().fulfilledCapacity());
        assertEquals(4.0, described().fulfilledOnDemandCapacity());
    }

    @Test
    void raisingTheOnDemandTargetByAWeight_launchesOneInstance() {
        ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(c -> c.totalTargetCapacity(12).onDemandTargetCapacity(8)));

        assertEquals(2, onDemand().size());
        assertEquals(12.0, described().fulfilledCapacity());
    }

    @Test
    void raisingByLessThanAWeight_roundsUpToAWholeInstance() {
        ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(c -> c.totalTargetCapacity(10).onDemandTargetCapacity(6)));

        assertEquals(2, onDemand().size());
        assertEquals(8.0, described().fulfilledOnDemandCapacity());
    }

    @Test
    void aTerminatedMemberBelowTheTarget_isReplacedByItsUnits_andNotAboveIt() {
        String spot = members().stream().filter(i -> i.spotInstanceRequestId() != null && i.spotInstanceRequestId().startsWith("sir-"))
                .findFirst().orElseThrow().instanceId();
        ec2.terminateInstances(r -> r.instanceIds(spot));
        assertEquals(2, members().size(), "one m5.xlarge replaces the 4 units lost");

        ec2.modifyFleet(r -> r.fleetId(fleet).excessCapacityTerminationPolicy("no-termination")
                .targetCapacitySpecification(c -> c.totalTargetCapacity(12).onDemandTargetCapacity(8)));
        String held = onDemand().get(onDemand().size() - 1);
        ec2.modifyFleet(r -> r.fleetId(fleet).excessCapacityTerminationPolicy("no-termination")
                .targetCapacitySpecification(c -> c.totalTargetCapacity(8).onDemandTargetCapacity(4)));
        ec2.terminateInstances(r -> r.instanceIds(held));

        assertEquals(1, onDemand().size(), "at its target: not replaced");
        assertEquals(8.0, described().fulfilledCapacity());
    }
}
