package dev.deckhand.rotate.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.event.LaunchFailure;
import dev.deckhand.rotate.planner.RotationPlanner.Repin;
import dev.deckhand.rotate.planner.RotationPlanner.TemplateTargets;
import dev.deckhand.rotate.planner.RotationRequest.ImageAvailable;
import dev.deckhand.rotate.planner.RotationRequest.LaunchFailed;
import dev.deckhand.rotate.planner.RotationRequest.ParameterChanged;
import dev.deckhand.rotate.planner.RotationRequest.ScheduledRefresh;
import dev.deckhand.rotate.planner.TemplateOutcome.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run-wide decisions the planner takes before and after the per-cluster plans: the image each template's
 * instances should run and the consumers to move, which owners follow a template's default version, which
 * canary a failed launch stops, how a run comes out; and what each request says by itself. No AWS.
 */
class RunDecisionsTest {

    private static final String ID = "lt-0123456789abcdef0";
    private static final String OLD = "ami-0000000000000old0";
    private static final String NEW = "ami-0000000000000new0";
    private static final Owner ASG = new Owner(Owner.Kind.AUTO_SCALING_GROUP, "web-asg");
    private static final Owner FLEET = new Owner(Owner.Kind.EC2_FLEET, "fleet-12345678-1234-1234-1234-123456789012");

    private final RotationPlanner planner = new RotationPlanner();

    private static ManagedTemplate template(long defaultVersion, long latestVersion, Map<String, String> tags) {
        return new ManagedTemplate(ID, "web", "/golden-ami/ecs", defaultVersion, latestVersion, tags);
    }

    private static TemplateOutcome outcome(Action action, String image, String previousImage, long defaultVersion, Long previousVersion) {
        return new TemplateOutcome(ID, "web", "/golden-ami/ecs", image, previousImage, defaultVersion, previousVersion, action, null, null);
    }

    @Test
    void updatedTemplate_targetsTheNewImage_andMovesTheConsumersPinnedToTheOldDefault() {
        TemplateTargets decided = planner.targets(List.of(template(1, 1, Map.of())), List.of(outcome(Action.UPDATED, NEW, OLD, 2, 1L)));

        assertEquals(Map.of(ID, NEW), decided.targets());
        assertEquals(List.of(new Repin(ID, 1, 2)), decided.repins());
        assertEquals(List.of(2L, 1L), decided.followedVersions().get(ID), "a consumer still pinned to 1 is moved: it follows the default");
    }

    @Test
    void dryRunUpdate_movesTheConsumersToTheVersionThatWouldBeMade() {
        TemplateTargets decided = planner.targets(List.of(template(3, 5, Map.of())), List.of(outcome(Action.DRY_RUN_UPDATE, NEW, OLD, 3, null)));

        assertEquals(List.of(new Repin(ID, 3, 6)), decided.repins());
        assertEquals(List.of(3L), decided.followedVersions().get(ID));
        assertEquals(NEW, decided.targets().get(ID));
    }

    @Test
    void currentTemplate_whoseRotationStoppedHalfWay_finishesMovingItsConsumers() {
        ManagedTemplate half = template(2, 2, Map.of(ManagedTemplate.PREVIOUS_TAG, "1", ManagedTemplate.ROTATED_TAG, "2"));

        TemplateTargets decided = planner.targets(List.of(half), List.of(outcome(Action.CURRENT, NEW, NEW, 2, 1L)));

        assertEquals(List.of(new Repin(ID, 1, 2)), decided.repins());
        assertEquals(List.of(2L, 1L), decided.followedVersions().get(ID));
    }

    @Test
    void currentTemplate_whoseDefaultIsNoLongerTheRotatedVersion_movesNobody() {
        ManagedTemplate moved = template(4, 4, Map.of(ManagedTemplate.PREVIOUS_TAG, "1", ManagedTemplate.ROTATED_TAG, "2"));

        TemplateTargets decided = planner.targets(List.of(moved), List.of(outcome(Action.NOT_CHECKED, NEW, NEW, 4, 1L)));

        assertTrue(decided.repins().isEmpty());
        assertEquals(List.of(4L), decided.followedVersions().get(ID));
        assertEquals(NEW, decided.targets().get(ID));
    }

    @Test
    void followsParameter_targetsOnlyAKnownImage_heldOrErrorKeepTheirPreviousImage() {
        assertFalse(planner.targets(List.of(template(1, 1, Map.of())), List.of(outcome(Action.FOLLOWS_PARAMETER, null, "resolve:ssm:/x", 1, null)))
                .targets().containsKey(ID), "unknown image: none of its instances is stale");
        assertEquals(NEW, planner.targets(List.of(template(1, 1, Map.of())), List.of(outcome(Action.FOLLOWS_PARAMETER, NEW, "resolve:ssm:/x", 1, null)))
                .targets().get(ID));
        assertEquals(OLD, planner.targets(List.of(template(1, 1, Map.of())), List.of(outcome(Action.HELD_AFTER_ROLLBACK, NEW, OLD, 1, null)))
                .targets().get(ID));
        assertEquals(OLD, planner.targets(List.of(template(1, 1, Map.of())), List.of(outcome(Action.ERROR, null, OLD, 1, null)))
                .targets().get(ID));
    }

    @Test
    void followsDefault_defaultLatestWhileDefaultAndFollowedPins_butNotAnotherPin() {
        ManagedTemplate template = template(2, 2, Map.of());
        Map<String, List<Long>> followed = Map.of(ID, List.of(2L, 1L));
        Owner pinnedOld = new Owner(Owner.Kind.SPOT_FLEET, "sfr-1");
        Owner other = new Owner(Owner.Kind.AUTO_SCALING_GROUP, "other-asg");
        Owner latest = new Owner(Owner.Kind.AUTO_SCALING_GROUP, "latest-asg");

        Map<Owner, String> follows = planner.followsDefault(List.of(
                new Consumer(ASG, ID, "$Default", true),
                new Consumer(FLEET, "web", "1", true),               // by name, pinned to the replaced default
                new Consumer(pinnedOld, ID, "7", true),              // chose another version
                new Consumer(other, "lt-0fffffffffffffff0", "$Default", true),
                new Consumer(latest, ID, "$Latest", true)), List.of(template), followed);

        assertEquals(Map.of(ASG, ID, FLEET, ID, latest, ID), follows);
    }

    @Test
    void followsDefault_latestAboveTheDefault_isNotTheDefault() {
        Map<Owner, String> follows = planner.followsDefault(List.of(new Consumer(ASG, ID, "$Latest", true)),
                List.of(template(2, 3, Map.of())), Map.of(ID, List.of(2L)));

        assertTrue(follows.isEmpty(), "a person's newer version is what $Latest launches");
    }

    @Test
    void followsDefault_anOwnersFirstFollowingConsumerDecides() {
        ManagedTemplate other = new ManagedTemplate("lt-0fffffffffffffff0", "batch", "/golden-ami/ecs", 1, 1, Map.of());

        Map<Owner, String> follows = planner.followsDefault(List.of(new Consumer(ASG, ID, "$Default", true),
                new Consumer(ASG, other.id(), "$Default", true)), List.of(template(1, 1, Map.of()), other),
                Map.of(ID, List.of(1L), other.id(), List.of(1L)));

        assertEquals(Map.of(ASG, ID), follows);
    }

    @Test
    void failedImage_isTheTargetOfTheTemplateTheOwnerFollows_elseNone() {
        Map<Owner, String> follows = Map.of(ASG, ID);

        assertEquals(NEW, planner.failedImage(ASG, follows, Map.of(ID, NEW)));
        assertNull(planner.failedImage(FLEET, follows, Map.of(ID, NEW)), "launches no managed template's default");
        assertNull(planner.failedImage(ASG, follows, Map.of()), "its template has no target");
    }

    @Test
    void canaries_areReadFromTheTemplatesTagsForThatCluster_andAForeignValueIsNone() {
        Instant started = Instant.parse("2026-11-22T10:00:00Z");
        ManagedTemplate tagged = template(2, 2, Map.of(Canary.TAG_PREFIX + "web", NEW + " i-0123456789abcdef0 " + started,
                Canary.TAG_PREFIX + "batch", "someone else's value"));

        assertEquals(List.of(new Canary("web", NEW, "i-0123456789abcdef0", started)), planner.canaries("web", List.of(tagged)));
        assertTrue(planner.canaries("batch", List.of(tagged)).isEmpty());
        assertTrue(planner.canaries("api", List.of(tagged)).isEmpty());
    }

    @Test
    void outcome_rollbackFirst_thenDryRun_thenRotating_thenImageError_elseUpToDate() {
        List<TemplateOutcome> updated = List.of(outcome(Action.UPDATED, NEW, OLD, 2, 1L));
        List<TemplateOutcome> error = List.of(outcome(Action.ERROR, null, OLD, 1, null));
        List<TemplateOutcome> current = List.of(outcome(Action.CURRENT, OLD, OLD, 1, null));
        MaintenanceWindow always = MaintenanceWindow.ALWAYS;

        assertEquals(RotationDecision.ROLLED_BACK, planner.outcome(updated, 0, 1, 1, false, true, always).decision());
        assertEquals(RotationDecision.DRY_RUN_ROTATE, planner.outcome(current, 0, 1, 0, true, true, always).decision());
        assertEquals(RotationDecision.ROTATING, planner.outcome(updated, 1, 0, 0, false, true, always).decision());
        assertEquals(RotationDecision.IMAGE_ERROR, planner.outcome(error, 0, 0, 0, false, true, always).decision());
        assertEquals(RotationDecision.UP_TO_DATE, planner.outcome(current, 0, 0, 0, false, true, always).decision());
        assertEquals(RotationDecision.UP_TO_DATE, planner.outcome(current, 0, 0, 0, true, true, always).decision(), "a dry run with nothing to do");
    }

    @Test
    void outcome_reasonCountsWhatMoved_andNamesAClosedWindow() {
        MaintenanceWindow window = MaintenanceWindow.parse("cron(0 2 ? * MON-FRI *)", Duration.ofHours(3));

        assertEquals("1 template(s) updated, 2 consumer(s) moved, 3 instance(s) retired",
                planner.outcome(List.of(outcome(Action.UPDATED, NEW, OLD, 2, 1L)), 2, 3, 0, false, true, window).reason());
        assertEquals("1 template(s) would be updated, 0 consumer(s) moved, 0 instance(s) would be retired, 1 template(s) with an image error"
                        + "; outside the maintenance window " + window,
                planner.outcome(List.of(outcome(Action.DRY_RUN_UPDATE, NEW, OLD, 1, null), outcome(Action.ERROR, null, OLD, 1, null)),
                        0, 0, 0, true, false, window).reason());
    }

    @Test
    void parameterChange_onlyAnAppliedCreateOrUpdateGivesANewValue() {
        assertNull(new ParameterChanged("e", "/golden-ami/ecs", "Update", null).noNewValue());
        assertNull(new ParameterChanged("e", "/golden-ami/ecs", "Create", null).noNewValue());
        assertEquals("operation Delete gives it no new value", new ParameterChanged("e", "/golden-ami/ecs", "Delete", null).noNewValue());
        assertEquals("Parameter Store did not apply the Update: ValidationException",
                new ParameterChanged("e", "/golden-ami/ecs", "Update", "ValidationException").noNewValue());
    }

    @Test
    void imageStateChange_onlyAvailableRotates() {
        assertTrue(new ImageAvailable("e", "arn", "AVAILABLE").available());
        assertFalse(new ImageAvailable("e", "arn", "BUILDING").available());
    }

    @Test
    void launchFailure_onlyACauseAPersonMustFixAndOnDemandWouldNotCure_stopsACanary() {
        assertTrue(new LaunchFailed("e", ASG, LaunchFailure.Cause.IMAGE, "The AMI ID does not exist").stopsACanary());
        assertFalse(new LaunchFailed("e", ASG, LaunchFailure.Cause.CAPACITY, "no Spot capacity").stopsACanary());
        assertFalse(new LaunchFailed("e", ASG, LaunchFailure.Cause.SPOT_QUOTA, "Spot limit").stopsACanary());
    }

    @Test
    void eachRequestNamesItsTrigger() {
        assertEquals(Trigger.SCHEDULE, new ScheduledRefresh("e", false).trigger());
        assertEquals(Trigger.RECONCILE, new ScheduledRefresh("e", true).trigger());
        assertEquals(Trigger.LAUNCH_FAILED, new LaunchFailed("e", ASG, LaunchFailure.Cause.IMAGE, null).trigger());
    }
}
