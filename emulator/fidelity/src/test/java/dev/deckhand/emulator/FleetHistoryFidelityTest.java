package dev.deckhand.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeFleetHistoryResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSpotFleetRequestHistoryResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.EventType;
import software.amazon.awssdk.services.ec2.model.FleetEventType;
import software.amazon.awssdk.services.ec2.model.HistoryRecord;
import software.amazon.awssdk.services.ec2.model.HistoryRecordEntry;

/**
 * Pins emulator/python/deckhand_emulator/fleet_history.py to the EC2 API Reference:
 * DescribeFleetHistory (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFleetHistory.html),
 * DescribeSpotFleetRequestHistory (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotFleetRequestHistory.html),
 * their HistoryRecordEntry / HistoryRecord / EventInformation shapes (event types instance-change, fleet-change,
 * service-error / instanceChange, fleetRequestChange, error; sub-types submitted, active, launched,
 * spotFleetRequestConfigurationInvalid), and "Error codes for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html) for InvalidSpotFleetRequestId.NotFound.
 * moto 5.2.1 implemented neither call.
 */
@Tag("emulator")
class FleetHistoryFidelityTest extends EmptyAccountTest {

    private Ec2Client ec2;
    private FleetSeeder fleets;
    private String image;
    private String template;
    private final Instant hourAgo = Instant.now().minus(Duration.ofHours(1));

    @BeforeEach
    void clusterWebAndItsTemplate() {
        ec2 = aws.client(Ec2Client.builder(), REGION);
        seed.cluster("web");
        fleets = fleets();
        image = fleets.image("ecs-2026.11");
        template = fleets.template("web", image, "web", null);
    }

    @Test
    void spotFleet_recordsItsSubmissionAndEachLaunch_oldestFirst_withTheLastEvaluatedTime() {
        String fleet = fleets.spotFleet(template, "1", 2);

        DescribeSpotFleetRequestHistoryResponse history = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet).startTime(hourAgo));

        List<HistoryRecord> records = history.historyRecords();
        assertEquals(List.of("fleetRequestChange submitted", "fleetRequestChange active", "instanceChange launched", "instanceChange launched"),
                records.stream().map(h -> h.eventTypeAsString() + " " + h.eventInformation().eventSubType()).toList());
        assertEquals(fleets.spotFleetInstances(fleet).stream().sorted().toList(),
                records.subList(2, 4).stream().map(h -> h.eventInformation().instanceId()).sorted().toList());
        assertNull(records.get(0).eventInformation().instanceId(), "InstanceId only for instanceChange events");
        assertTrue(records.get(2).eventInformation().eventDescription().contains(image), records.get(2).toString());
        assertTrue(!records.get(0).timestamp().isAfter(records.get(3).timestamp()));
        assertEquals(fleet, history.spotFleetRequestId());
        assertNotNull(history.lastEvaluatedTime());
        assertNull(history.nextToken());
    }

    @Test
    void ec2Fleet_usesItsOwnEventTypes() {
        String fleet = fleets.ec2Fleet(template, "1", 2, false);

        DescribeFleetHistoryResponse history = ec2.describeFleetHistory(r -> r.fleetId(fleet).startTime(hourAgo));

        List<HistoryRecordEntry> records = history.historyRecords();
        assertEquals(List.of("fleet-change submitted", "fleet-change active", "instance-change launched", "instance-change launched"),
                records.stream().map(h -> h.eventTypeAsString() + " " + h.eventInformation().eventSubType()).toList());
        assertEquals(FleetEventType.INSTANCE_CHANGE, records.get(3).eventType());
        assertEquals(fleets.ec2FleetInstances(fleet).stream().sorted().toList(),
                records.subList(2, 4).stream().map(h -> h.eventInformation().instanceId()).sorted().toList());
        assertEquals(fleet, history.fleetId());
        assertNotNull(history.lastEvaluatedTime());
    }

    @Test
    void aReplacementFromADeregisteredImage_isAnErrorRecord_andLaunchesNothing() {
        String fleet = fleets.spotFleet(template, "1", 1);
        ec2.deregisterImage(r -> r.imageId(image));

        ec2.terminateInstances(r -> r.instanceIds(fleets.spotFleetInstances(fleet)));

        List<HistoryRecord> records = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet).startTime(hourAgo)
                .eventType(EventType.ERROR)).historyRecords();
        assertEquals(1, records.size(), records.toString());
        assertEquals("spotFleetRequestConfigurationInvalid", records.get(0).eventInformation().eventSubType());
        assertTrue(records.get(0).eventInformation().eventDescription().endsWith(", " + image + ", Linux/UNIX: The image id '["
                + image + "]' does not exist"), records.get(0).toString());
        assertEquals(List.of(), fleets.spotFleetInstances(fleet));
    }

    @Test
    void startTime_leavesOutOlderRecords_andMaxResultsPages() {
        String fleet = fleets.spotFleet(template, "1", 2);

        DescribeSpotFleetRequestHistoryResponse later = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet)
                .startTime(Instant.now().plus(Duration.ofMinutes(5))));
        DescribeSpotFleetRequestHistoryResponse page = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet)
                .startTime(hourAgo).maxResults(3));

        assertEquals(List.of(), later.historyRecords());
        assertEquals(3, page.historyRecords().size());
        assertNotNull(page.nextToken());
        assertNull(page.lastEvaluatedTime(), "absent while NextToken says there are more");
        assertEquals(1, ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet).startTime(hourAgo).maxResults(3)
                .nextToken(page.nextToken())).historyRecords().size());
    }

    @Test
    void aFleetThatDoesNotExist_isNotFound() {
        Ec2Exception spot = assertThrows(Ec2Exception.class, () -> ec2.describeSpotFleetRequestHistory(r -> r
                .spotFleetRequestId("sfr-38725d30-25f1-4f30-83ce-2907c56dba17").startTime(hourAgo)));
        Ec2Exception fleet = assertThrows(Ec2Exception.class, () -> ec2.describeFleetHistory(r -> r
                .fleetId("fleet-9bb19bc6-60d3-4fd2-ae47-d33e68eafa08").startTime(hourAgo)));

        assertEquals("InvalidSpotFleetRequestId.NotFound", spot.awsErrorDetails().errorCode());
        assertEquals("InvalidFleetId.NotFound", fleet.awsErrorDetails().errorCode());
    }
}
