package dev.deckhand.ticket.handler;

import static dev.deckhand.testkit.Handlers.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.DeckhandHome;
import dev.deckhand.emulator.FleetSeeder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.model.OpsItemStatus;

/**
 * Launch failures a person must fix, against the emulator and the loopback GitHub and Jira. The
 * samples in events/ are built from AWS's documented examples: "Amazon EC2 Auto Scaling event reference"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html) for the
 * launch events, with the status message of "Troubleshoot Amazon EC2 Auto Scaling: AMI issues"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-ami.html); "Spot Fleet event types"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-event-types.html) and "EC2 Fleet event
 * types" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-event-types.html) for the fleets'.
 */
@Tag("emulator")
class LaunchFailureTicketTest {

    static final String REGION = "us-east-2";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EVENTS = DeckhandHome.find().resolve("events");

    private TicketAccount account;
    private FleetSeeder fleets;
    private String template;
    private String image;

    @BeforeEach
    void seed() throws IOException {
        account = new TicketAccount();
        new AccountSeeder(account.aws, REGION).cluster("demo-fleet");
        fleets = new FleetSeeder(account.aws, REGION);
        image = fleets.image("ecs-al2023-2026.11");
        template = fleets.template("demo-fleet-od", image, "demo-fleet", "/deckhand/demo/ecs-ami");
        fleets.autoScalingGroup("demo-fleet-asg", template, "1", "demo-fleet", 2);
    }

    /** The template's image deregistered, as after a rotation to a broken image, and one more instance wanted: the launch fails. */
    private void imageGone() {
        account.aws.client(Ec2Client.builder(), REGION).deregisterImage(r -> r.imageId(image));
        account.aws.client(AutoScalingClient.builder(), REGION).setDesiredCapacity(r -> r.autoScalingGroupName("demo-fleet-asg").desiredCapacity(3));
    }

    @AfterEach
    void stop() {
        account.close();
    }

    private OpenTicketHandler handler(String sinks) {
        return account.handler(Map.of("DECKHAND_TICKET_SINKS", sinks, "DECKHAND_CLUSTERS", "demo-fleet"));
    }

    static String sample(String name) throws IOException {
        return Files.readString(EVENTS.resolve(name));
    }

    private List<String> actions(JsonNode result) {
        return java.util.stream.StreamSupport.stream(result.path("sinks").spliterator(), false)
                .map(s -> s.path("sink").asText() + " " + s.path("action").asText()).toList();
    }

    @Test
    void missingImage_oneTicketPerSink_withTheEvidence_andTheSameEventAgainChangesNothing() throws IOException {
        OpenTicketHandler handler = handler("opscenter,github,jira");
        imageGone();

        JsonNode first = invoke(handler, sample("autoscaling-launch-unsuccessful-image.json"));
        JsonNode again = invoke(handler, sample("autoscaling-launch-unsuccessful-image.json"));

        assertEquals("TICKETED", first.get("decision").asText(), first.toString());
        assertEquals(List.of("opscenter CREATED", "github CREATED", "jira CREATED"), actions(first));
        assertEquals(List.of("opscenter UNCHANGED", "github UNCHANGED", "jira UNCHANGED"), actions(again));
        assertEquals(1, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().size());
        assertEquals(1, account.api.githubIssues.size());
        assertEquals(1, account.api.jiraIssues.size());
        String body = first.get("body").asText();
        for (String evidence : List.of("demo-fleet-asg", "demo-fleet", "The AMI ID ami-0ffee0ffee0ffee00 does not exist", template,
                "Version: 1", "Image: " + image, "us-east-2a", "RECENT ACTIVITY",
                "Failed: Launching a new EC2 instance.  Status Reason: The AMI ID " + image + " does not exist.")) {
            assertTrue(body.contains(evidence), evidence + " in " + body);
        }
        assertEquals("Auto Scaling group demo-fleet-asg cannot launch: image (cluster demo-fleet)", first.get("title").asText());
        assertEquals(1, account.calls.byOperation().getOrDefault("autoscaling:DescribeScalingActivities", 0));
        JsonNode labels = account.api.githubIssues.get(0).path("labels");
        assertTrue(labels.toString().contains("deckhand-grp-"), labels.toString());
    }

    @Test
    void capacity_isLeftToHoldCapacity_withoutAnyCall() throws IOException {
        OpenTicketHandler handler = handler("opscenter");
        account.calls.reset();

        JsonNode result = invoke(handler, sample("autoscaling-launch-unsuccessful.json"));

        assertEquals("IGNORED", result.get("decision").asText(), result.toString());
        assertEquals(Map.of(), account.calls.byOperation());
    }

    @Test
    void launchedAgain_closesEveryCauseOfTheGroup_withOneSearchPerSink_andKeepsTheEvidence() throws IOException {
        OpenTicketHandler handler = handler("opscenter,github,jira");
        invoke(handler, sample("autoscaling-launch-unsuccessful-image.json"));
        ObjectNode profile = (ObjectNode) JSON.readTree(sample("autoscaling-launch-unsuccessful-image.json"));
        ((ObjectNode) profile.get("detail")).put("StatusMessage", "Invalid IAM Instance Profile name. Launching EC2 instance failed.");
        profile.put("id", "12345678-1234-1234-1234-123456789041");
        invoke(handler, profile.toString());
        assertEquals(2, account.api.githubIssues.size());
        String evidence = account.api.githubIssues.get(0).path("body").asText();

        account.calls.reset();
        account.api.requests.clear();
        JsonNode closed = invoke(handler, sample("autoscaling-launch-successful.json"));
        JsonNode again = invoke(handler, sample("autoscaling-launch-successful.json"));

        assertEquals("CLOSED", closed.get("decision").asText(), closed.toString());
        assertEquals(List.of("github CLOSED", "github CLOSED", "jira COMMENTED", "jira COMMENTED", "opscenter CLOSED", "opscenter CLOSED"),
                actions(closed).stream().sorted().toList());
        assertEquals(OpsItemStatus.RESOLVED, account.ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries().get(0).status());
        assertTrue(account.api.githubIssues.stream().allMatch(i -> i.path("state").asText().equals("closed")));
        assertEquals(evidence, account.api.githubIssues.get(0).path("body").asText(), "the evidence stays in the issue");
        assertEquals("NOTHING_OPEN", again.get("decision").asText(), again.toString());
        assertEquals(List.of("opscenter NOTHING_OPEN", "github NOTHING_OPEN", "jira NOTHING_OPEN"), actions(again));
        assertEquals(0, account.calls.byOperation().keySet().stream().filter(k -> k.startsWith("autoscaling") || k.startsWith("ec2")).count(),
                account.calls.byOperation().toString());
    }

    @Test
    void launchedAgain_ofAGroupWithoutTicket_isOneReadAndNothingElse() throws IOException {
        OpenTicketHandler handler = handler("opscenter");
        account.calls.reset();

        JsonNode result = invoke(handler, sample("autoscaling-launch-successful.json"));

        assertEquals("NOTHING_OPEN", result.get("decision").asText(), result.toString());
        assertEquals(Map.of("ssm:DescribeOpsItems", 1), account.calls.byOperation());
    }

    @Test
    void spotFleetConfigurationInvalid_ticketsTheFleet_andItsLaunchClosesIt() throws IOException {
        String fleet = fleets.spotFleet(template, "1", 2);
        OpenTicketHandler handler = handler("opscenter");
        ObjectNode error = (ObjectNode) JSON.readTree(sample("spot-fleet-error-configuration.json"));
        String arn = "arn:aws:ec2:us-east-2:123456789012:spot-fleet-request/" + fleet;
        error.putArray("resources").add(arn);

        JsonNode ticket = invoke(handler, error.toString());
        JsonNode repeat = invoke(handler, error.toString());
        ObjectNode launched = (ObjectNode) JSON.readTree(sample("ec2-fleet-instance-launched.json"));
        launched.put("source", "aws.ec2spotfleet").put("detail-type", "EC2 Spot Fleet Instance Change").putArray("resources").add(arn);
        JsonNode closed = invoke(handler, launched.toString());

        assertEquals("TICKETED", ticket.get("decision").asText(), ticket.toString());
        assertTrue(ticket.get("title").asText().startsWith("Spot Fleet request " + fleet + " cannot launch: configuration"), ticket.toString());
        assertTrue(ticket.get("body").asText().contains(template), ticket.toString());
        assertEquals(List.of("opscenter UNCHANGED"), actions(repeat));
        assertEquals(List.of("opscenter CLOSED"), actions(closed));
    }

    /**
     * The fleet's own history is the evidence: DescribeSpotFleetRequestHistory / DescribeFleetHistory
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotFleetRequestHistory.html,
     * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFleetHistory.html), one call, an hour back.
     */
    @Test
    void spotFleetError_carriesTheFleetsRecentHistory_readInOneCall() throws IOException {
        String fleet = fleets.spotFleet(template, "1", 1);
        String launched = fleets.spotFleetInstances(fleet).get(0);
        account.aws.client(Ec2Client.builder(), REGION).deregisterImage(r -> r.imageId(image));
        account.aws.client(Ec2Client.builder(), REGION).terminateInstances(r -> r.instanceIds(launched));   // its replacement fails
        OpenTicketHandler handler = handler("opscenter");
        ObjectNode error = (ObjectNode) JSON.readTree(sample("spot-fleet-error-configuration.json"));
        error.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        error.putArray("resources").add("arn:aws:ec2:us-east-2:123456789012:spot-fleet-request/" + fleet);
        account.calls.reset();

        JsonNode ticket = invoke(handler, error.toString());

        assertEquals("TICKETED", ticket.get("decision").asText(), ticket.toString());
        String body = ticket.get("body").asText();
        for (String evidence : List.of("RECENT ACTIVITY", "fleetRequestChange active", "instanceChange launched " + launched,
                "error spotFleetRequestConfigurationInvalid", "The image id '[" + image + "]' does not exist")) {
            assertTrue(body.contains(evidence), evidence + " in " + body);
        }
        assertFalse(body.contains("not read yet"), body);
        assertEquals(1, account.calls.byOperation().getOrDefault("ec2:DescribeSpotFleetRequestHistory", 0), account.calls.byOperation().toString());
    }

    @Test
    void ec2FleetError_carriesTheFleetsHistory_boundedToTheLatestRecords() throws IOException {
        String fleet = fleets.ec2Fleet(template, "1", 12, false);
        OpenTicketHandler handler = handler("opscenter");
        ObjectNode error = (ObjectNode) JSON.readTree(sample("ec2-fleet-error.json"));
        error.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ((ObjectNode) error.get("detail")).put("sub-type", "spotFleetRequestConfigurationInvalid");
        error.putArray("resources").add("arn:aws:ec2:us-east-2:123456789012:fleet/" + fleet);
        account.calls.reset();

        JsonNode ticket = invoke(handler, error.toString());

        String body = ticket.get("body").asText();
        assertEquals("TICKETED", ticket.get("decision").asText(), ticket.toString());
        assertEquals(10, body.lines().filter(l -> l.contains("instance-change launched i-")).count(), body);
        assertFalse(body.contains("fleet-change submitted"), "the oldest records are left out: " + body);
        assertTrue(body.contains("4 older records"), body);
        assertEquals(1, account.calls.byOperation().getOrDefault("ec2:DescribeFleetHistory", 0), account.calls.byOperation().toString());
    }

    @Test
    void aFleetThatNoLongerExists_isIgnored() throws IOException {
        JsonNode result = invoke(handler("opscenter"), sample("spot-fleet-error-configuration.json"));

        assertEquals("IGNORED", result.get("decision").asText(), result.toString());
        assertFalse(result.toString().contains("CREATED"));
    }
}
