package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Pins emulator/python/deckhand_emulator/spot_fleet_on_demand.py to the EC2 API Reference and User
 * Guide ("On-Demand in Spot Fleet"): SpotFleetRequestConfigData.OnDemandTargetCapacity is launched as
 * On-Demand and described; ModifySpotFleetRequest moves TargetCapacity and OnDemandTargetCapacity of a
 * maintain request (noTermination keeps what runs); DescribeSpotFleetInstances lists the On-Demand
 * members; every member is tagged aws:ec2spot:fleet-request-id; a request's id is sfr- and a UUID and
 * its described tags are its current ones.
 */
@org.junit.jupiter.api.Tag("emulator")
class SpotFleetOnDemandFidelityTest extends EmptyAccountTest {


    private Ec2Client ec2;
    private FleetSeeder seeder;
    private String template;
    private String request;

    @BeforeEach
    void requestWithTwoSpotAndOneOnDemand() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        seeder = fleets();
        template = seeder.plainTemplate("batch");
        request = seeder.mixedSpotFleet(template, "1", 2, 1);
    }

    private SpotFleetRequestConfigData described() {
        return ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(request)).spotFleetRequestConfigs().get(0).spotFleetRequestConfig();
    }

    private List<ActiveInstance> members() {
        return ec2.describeSpotFleetInstances(r -> r.spotFleetRequestId(request)).activeInstances();
    }

    private List<ActiveInstance> onDemand() {
        return members().stream().filter(m -> m.spotInstanceRequestId() == null).toList();
    }

    private List<Instance> running() {
        List<String> ids = members().stream().map(ActiveInstance::instanceId).toList();
        return ec2.describeInstances(r -> r.instanceIds(ids)).reservations().stream().flatMap(rv -> rv.instances().stream())
                .filter(i -> "running".equals(i.state().nameAsString())).toList();
    }

    @Test
    void onDemandTargetCapacity_isLaunchedAsOnDemand_andDescribed() {
        SpotFleetRequestConfigData config = described();
        assertEquals(3, config.targetCapacity());
        assertEquals(1, config.onDemandTargetCapacity());
        assertEquals(1.0, config.onDemandFulfilledCapacity());
        assertEquals(3.0, config.fulfilledCapacity(), "both parts count");

        assertEquals(3, members().size());
        assertEquals(1, onDemand().size(), "one member has no Spot request");
        Instance member = running().stream().filter(i -> i.instanceId().equals(onDemand().get(0).instanceId())).findFirst().orElseThrow();
        assertNull(member.instanceLifecycle(), "an On-Demand instance has no InstanceLifecycle");
        assertEquals(2, running().stream().filter(i -> "spot".equals(i.instanceLifecycleAsString())).count());
    }

    @Test
    void everyMember_isTaggedWithItsRequest() {
        for (Instance instance : running()) {
            assertTrue(instance.tags().stream().anyMatch(t -> t.key().equals("aws:ec2spot:fleet-request-id") && t.value().equals(request)),
                    instance.instanceId() + " " + instance.tags());
        }
    }

    @Test
    void modify_raisesBothTargets_andLaunchesOnDemandUpToIt() {
        assertTrue(ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(5).onDemandTargetCapacity(3)).returnValue());

        assertEquals(5, described().targetCapacity());
        assertEquals(3, described().onDemandTargetCapacity());
        assertEquals(3, onDemand().size());
        assertEquals(5, running().size(), "the Spot part stays 2");
    }

    @Test
    void loweredWithNoTermination_keepsInstances_andAMemberTerminatedAtItsTargetIsNotReplaced() {
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(4).onDemandTargetCapacity(2));
        List<String> before = onDemand().stream().map(ActiveInstance::instanceId).toList();

        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(3).onDemandTargetCapacity(1)
                .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.NO_TERMINATION));
        assertEquals(4, running().size(), "noTermination keeps what runs");

        ec2.terminateInstances(r -> r.instanceIds(before.get(1)));
        assertEquals(3, running().size(), "at its target of 3: nothing replaced");
        assertFalse(members().stream().anyMatch(m -> m.instanceId().equals(before.get(1))));
        assertEquals(1, onDemand().size());
    }

    @Test
    void loweredWithTheDefaultPolicy_terminatesTheExcessOnDemand() {
        ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(request).targetCapacity(2).onDemandTargetCapacity(0)
                .excessCapacityTerminationPolicy(ExcessCapacityTerminationPolicy.DEFAULT));

        assertEquals(0, onDemand().size());
        assertEquals(2, running().size());
    }

    @Test
    void aTerminatedOnDemandMemberBelowTarget_isReplacedWithOnDemand() {
        String lost = onDemand().get(0).instanceId();
        ec2.terminateInstances(r -> r.instanceIds(lost));

        assertEquals(1, onDemand().size());
        assertFalse(onDemand().get(0).instanceId().equals(lost));
        assertEquals(3, running().size());
    }

    @Test
    void theRequestId_isAUuid_andItsDescribedTagsAreItsCurrentOnes() {
        assertTrue(request.matches("sfr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), request);
        String tagged = ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/fleet")
                .targetCapacity(1).launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1")))
                .tagSpecifications(t -> t.resourceType("spot-fleet-request").tags(Tag.builder().key("team").value("batch").build(),
                        Tag.builder().key("old").value("x").build())))).spotFleetRequestId();

        ec2.createTags(r -> r.resources(tagged).tags(Tag.builder().key("added").value("later").build()));
        ec2.deleteTags(r -> r.resources(tagged).tags(Tag.builder().key("old").build()));

        List<Tag> tags = ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(tagged)).spotFleetRequestConfigs().get(0).tags();
        assertEquals(List.of("added=later", "team=batch"), tags.stream().map(t -> t.key() + "=" + t.value()).sorted().toList());
    }

    @Test
    void aRequestNotOfTypeMaintain_cannotBeModified() {
        String oneTime = ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(c -> c.iamFleetRole("arn:aws:iam::123456789012:role/fleet")
                .targetCapacity(2).onDemandTargetCapacity(1).type("request")
                .launchTemplateConfigs(l -> l.launchTemplateSpecification(s -> s.launchTemplateId(template).version("1"))))).spotFleetRequestId();

        assertThrows(Ec2Exception.class, () -> ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(oneTime).targetCapacity(3)
                .onDemandTargetCapacity(2)));
    }
}
