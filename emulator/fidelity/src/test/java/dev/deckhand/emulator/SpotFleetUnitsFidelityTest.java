package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.ExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;

/**
 * Pins emulator/python/deckhand_emulator/fleet_units.py and spot_fleet_on_demand.py to a Spot Fleet's
 * targets in units (Amazon EC2 User Guide, "Spot Fleet instance weighting",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-instance-weighting.html): an
 * override's WeightedCapacity is "the number of units provided by the specified instance type ... If
 * the target capacity divided by this value is not a whole number, Amazon EC2 rounds the number of
 * instances to the next whole number" (EC2 API Reference, LaunchTemplateOverrides,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateOverrides.html);
 * TargetCapacity and OnDemandTargetCapacity are "the number of units to request", FulfilledCapacity
 * and OnDemandFulfilledCapacity "the number of units fulfilled" (SpotFleetRequestConfigData,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SpotFleetRequestConfigData.html).
 */
@Tag("emulator")
class SpotFleetUnitsFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private FleetSeeder seeder;
    private String template;
    private String request;

    @BeforeEach
    void weightedRequest() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        seeder = fleets();
        template = seeder.plainTemplate("batch");
        request = seeder.weightedSpotFleet(template, "1", 4, 4, "m5.xlarge", 4);
    }

    private SpotFleetRequestConfigData described() {
        return ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(request)).spotFleetRequestConfigs().get(0).spotFleetRequestConfig();
    }

    private List<ActiveInstance> members() {
        return ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(request)).activeInstances();
    }

    private List<String> onDemand() {
        return members().stream().filter(m -> m.spotInstanceRequestId() == null).map(ActiveInstance::instanceId).toList();
    }

    @Test
    void targetsInUnits_launchOneInstancePerWeight_andDescribeUnitsFulfilled() {
        assertEquals(2, members().size(), "4 Spot units and 4 On-Demand units: one m5.xlarge each");
        assertEquals(8.0, described().fulfilledCapacity());
        assertEquals(4.0, described().onDemandFulfilledCapacity());
    }

    @Test
    void aTargetNotAMultipleOfTheWeight_roundsUpToWholeInstances() {
        String five = ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/fleet")
                .targetCapacity(5).type("maintain").launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template)
                        .version("1")).overrides(o -> o.instanceType("m5.xlarge").weightedCapacity(4.0))))).spotFleetRequestId();

        assertEquals(2, ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(five)).activeInstances().size(),
                "5 units of weight 4: two instances");
        assertEquals(8.0, ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(five)).spotFleetRequestConfigs().get(0)
                .spotFleetRequestConfig().fulfilledCapacity());
    }

    @Test
    void raisingTheOnDemandTargetByAWeight_launchesOneInstance() {
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(12).onDemandTargetCapacity(8));

        assertEquals(2, onDemand().size());
        assertEquals(12.0, described().fulfilledCapacity());
        assertEquals(8.0, described().onDemandFulfilledCapacity());
    }

    @Test
    void raisingByLessThanAWeight_roundsUpToAWholeInstance() {
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(10).onDemandTargetCapacity(6));

        assertEquals(2, onDemand().size());
        assertEquals(8.0, described().onDemandFulfilledCapacity(), "6 On-Demand units asked, 8 fulfilled");
    }

    @Test
    void loweredWithTheDefaultPolicy_terminatesWholeInstancesDownToTheTargetInUnits() {
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(16).onDemandTargetCapacity(12));
        assertEquals(3, onDemand().size());

        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(10).onDemandTargetCapacity(6)
                .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.DEFAULT));

        assertEquals(2, onDemand().size(), "8 units still meet the target of 6; one more would leave 4");
        assertEquals(8.0, described().onDemandFulfilledCapacity());
    }

    @Test
    void aTerminatedOnDemandMemberBelowTheTarget_isReplacedByItsUnits_andNotAboveIt() {
        String lost = onDemand().get(0);
        ec2.terminateInstances(r -> r.instanceIds(lost));
        assertEquals(1, onDemand().size(), "one m5.xlarge replaces the 4 units lost");
        assertEquals(8.0, described().fulfilledCapacity());

        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(12).onDemandTargetCapacity(8));
        String held = onDemand().get(onDemand().size() - 1);
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(8).onDemandTargetCapacity(4)
                .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.NO_TERMINATION));
        ec2.terminateInstances(r -> r.instanceIds(held));

        assertEquals(1, onDemand().size(), "at its target: not replaced");
        assertEquals(8.0, described().fulfilledCapacity());
    }

    @Test
    void aTerminatedSpotMember_isReplacedByItsUnits() {
        String spot = members().stream().filter(m -> m.spotInstanceRequestId() != null).findFirst().orElseThrow().instanceId();

        ec2.terminateInstances(r -> r.instanceIds(spot));

        assertEquals(2, members().size(), "one m5.xlarge for the 4 units lost, not four");
        assertEquals(8.0, described().fulfilledCapacity());
    }
}
