package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FleetData;

/**
 * Pins emulator/python/deckhand_emulator/fleet_on_demand.py to the EC2 API Reference: ModifyFleet's
 * TargetCapacitySpecification.OnDemandTargetCapacity launches On-Demand up to the new target (and is
 * described); lowered with ExcessCapacityTerminationPolicy no-termination it keeps running instances;
 * a maintained fleet replaces a terminated member only while below its target capacity. And
 * ec2_fleet_members.py: every instance an EC2 Fleet launches is tagged aws:ec2:fleet-id (Amazon EC2
 * User Guide, "Tag an EC2 Fleet"), the key hold-capacity's TerminateInstances is scoped by.
 */
@Tag("emulator")
class FleetOnDemandFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private String fleet;

    @BeforeEach
    void fleetWithOneOnDemand() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        FleetSeeder seeder = fleets();
        String template = seeder.plainTemplate("batch");
        fleet = seeder.mixedEc2Fleet(template, "1", 2, 1);
    }

    private FleetData described() {
        return ec2.describeFleets(r -> r.fleetIds(fleet)).fleets().get(0);
    }

    private List<String> running() {
        List<String> ids = new ArrayList<>();
        for (var active : ec2.describeFleetInstances(r -> r.fleetId(fleet)).activeInstances()) {
            ids.add(active.instanceId());
        }
        return ec2.describeInstances(r -> r.instanceIds(ids)).reservations().stream().flatMap(rv -> rv.instances().stream())
                .filter(i -> "running".equals(i.state().nameAsString())).map(i -> i.instanceId()).toList();
    }

    @Test
    void everyMember_atLaunchReplacementAndRaise_isTaggedWithTheFleetId() {
        String lost = running().get(0);
        ec2.terminateInstances(r -> r.instanceIds(lost));
        ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(c -> c.totalTargetCapacity(4).onDemandTargetCapacity(2)));
        List<String> members = running();
        assertEquals(4, members.size());
        for (var reservation : ec2.describeInstances(r -> r.instanceIds(members)).reservations()) {
            for (var instance : reservation.instances()) {
                assertTrue(instance.tags().stream().anyMatch(t -> "aws:ec2:fleet-id".equals(t.key()) && fleet.equals(t.value())),
                        instance.instanceId() + " " + instance.tags());
            }
        }
    }

    @Test
    void modifyFleet_onDemandTargetCapacity_launchesOnDemandUpToIt_andIsDescribed() {
        assertEquals(3, running().size());
        assertTrue(ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(c -> c.totalTargetCapacity(5).onDemandTargetCapacity(3)))
                .returnValue());
        assertEquals(3, described().targetCapacitySpecification().onDemandTargetCapacity());
        assertEquals(5, described().targetCapacitySpecification().totalTargetCapacity());
        assertEquals(5, running().size());
    }

    @Test
    void loweredWithNoTermination_keepsInstances_andATerminatedMemberAboveTargetIsNotReplaced() {
        ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(c -> c.totalTargetCapacity(4).onDemandTargetCapacity(2)));
        List<String> before = running();
        assertEquals(4, before.size());
        ec2.modifyFleet(r -> r.fleetId(fleet).excessCapacityTerminationPolicy("no-termination")
                .targetCapacitySpecification(c -> c.totalTargetCapacity(3).onDemandTargetCapacity(1)));
        assertEquals(4, running().size(), "no-termination keeps what runs");
        String removed = before.get(before.size() - 1);
        ec2.terminateInstances(r -> r.instanceIds(removed));
        List<String> after = running();
        assertEquals(3, after.size(), "at its target of 3: nothing replaced");
        assertFalse(after.contains(removed));
    }

    @Test
    void maintainedFleetBelowTarget_stillReplacesATerminatedMember() {
        String lost = running().get(0);
        ec2.terminateInstances(r -> r.instanceIds(lost));
        assertEquals(3, running().size());
    }
}
