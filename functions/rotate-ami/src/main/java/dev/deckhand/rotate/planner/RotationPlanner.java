package dev.deckhand.rotate.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, from one cluster's state as read from AWS, what this run of rotate-ami does to it. Pure:
 * no AWS call, no clock; the state between runs is in AWS (instance and template tags), so a run
 * that is repeated or lost changes nothing the next one would not.
 *
 * <pre>{@code
 * Plan plan = new RotationPlanner().plan("web", nodes, Map.of("lt-0abc...", "ami-new"), canaries, budget, now, true);
 * }</pre>
 *
 * Rules, in order:
 * <ol>
 * <li>Outside the maintenance window nothing is retired or terminated.</li>
 * <li>A retiring instance that drained (no task left) is terminated through its owner; one still
 * ACTIVE has its retirement request sent again (drain-instance ignores a repeat).</li>
 * <li>Candidates: ACTIVE instances launched from a managed template whose image is not the
 * template's default image, and (with a maximum age) instances older than it; in a run for some
 * templates only, their instances only. One with no owner that would replace it is skipped.</li>
 * <li>Canary: while no ACTIVE instance of the cluster runs the new image, one instance goes alone and
 * the rest wait; if no replacement registers on the new image within the deadline, roll back.</li>
 * <li>Budget: instances DRAINING for any cause plus those retiring stay within
 * {@link Budget#allowedDraining}, and at least one ACTIVE instance is always left.</li>
 * </ol>
 */
public final class RotationPlanner {

    /**
     * What the templates' outcomes mean for a run.
     *
     * @param targets          per template id, the image its instances should run (absent: none is stale for it)
     * @param followedVersions per template id, the versions whose consumers launch the template's default image
     * @param repins           consumers to move, in order: those pinned to {@code from} of the template go to {@code to}
     */
    public record TemplateTargets(Map<String, String> targets, Map<String, List<Long>> followedVersions, List<Repin> repins) {
    }

    /** Move the consumers pinned to version {@code from} of a template to version {@code to}. */
    public record Repin(String templateId, long from, long to) {
    }

    /** How a run came out, and why in words. */
    public record Outcome(RotationDecision decision, String reason) {
    }

    /**
     * From each template's outcome: the image its instances should run, and the consumers to move. A template
     * updated (or that would be) moves the consumers pinned to its old default; one that is current but whose last
     * rotation stopped before its consumers moved (tags {@code previous} and {@code rotated}, rotated still the
     * default) finishes that move; one that follows its parameter is a target only when its image is known; one
     * held or in error keeps its previous image as the target.
     */
    public TemplateTargets targets(List<ManagedTemplate> templates, List<TemplateOutcome> outcomes) {
        Map<String, ManagedTemplate> byId = new HashMap<>();
        templates.forEach(t -> byId.put(t.id(), t));
        Map<String, String> targets = new HashMap<>();
        Map<String, List<Long>> followedVersions = new HashMap<>();
        List<Repin> repins = new ArrayList<>();
        for (TemplateOutcome outcome : outcomes) {
            ManagedTemplate template = byId.get(outcome.templateId());
            List<Long> versions = new ArrayList<>(List.of(outcome.defaultVersion()));
            switch (outcome.action()) {
                case UPDATED -> {
                    repins.add(new Repin(template.id(), outcome.previousVersion(), outcome.defaultVersion()));
                    versions.add(outcome.previousVersion());
                    targets.put(template.id(), outcome.image());
                }
                case DRY_RUN_UPDATE -> {
                    repins.add(new Repin(template.id(), outcome.defaultVersion(), template.latestVersion() + 1));
                    targets.put(template.id(), outcome.image());
                }
                case CURRENT, NOT_CHECKED -> {
                    Long previous = template.longTag(ManagedTemplate.PREVIOUS_TAG);
                    Long rotated = template.longTag(ManagedTemplate.ROTATED_TAG);
                    if (previous != null && rotated != null && rotated == outcome.defaultVersion()) {
                        repins.add(new Repin(template.id(), previous, rotated));   // finishes a run that stopped half-way
                        versions.add(previous);
                    }
                    targets.put(template.id(), outcome.image());
                }
                case FOLLOWS_PARAMETER -> {
                    if (outcome.image() != null) {   // what its next launch gets; unknown: none of its instances is stale
                        targets.put(template.id(), outcome.image());
                    }
                }
                case HELD_AFTER_ROLLBACK, ERROR -> targets.put(template.id(), outcome.previousImage());
            }
            followedVersions.put(template.id(), versions);
        }
        return new TemplateTargets(targets, followedVersions, repins);
    }

    /**
     * Which owners launch a managed template's default image, and from which template: a consumer on
     * {@code $Default}, on {@code $Latest} while the latest version is the default, or pinned to one of the
     * template's followed versions. An owner's first such consumer decides; the others are not rotated.
     */
    public Map<Owner, String> followsDefault(List<Consumer> consumers, List<ManagedTemplate> templates, Map<String, List<Long>> followedVersions) {
        Map<Owner, String> follows = new HashMap<>();
        for (Consumer consumer : consumers) {
            for (ManagedTemplate template : templates) {
                if (!template.named(consumer.templateRef()) || follows.containsKey(consumer.owner())) {
                    continue;
                }
                if ("$Default".equals(consumer.version())
                        || ("$Latest".equals(consumer.version()) && template.latestVersion() <= template.defaultVersion())
                        || (consumer.pinsANumber() && followedVersions.get(template.id()).contains(Long.parseLong(consumer.version())))) {
                    follows.put(consumer.owner(), template.id());
                }
            }
        }
        return follows;
    }

    /**
     * The image whose canary a failed launch of {@code owner} may stop: the target of the managed template it
     * launches the default of; null when it launches none (nothing to stop).
     */
    public String failedImage(Owner owner, Map<Owner, String> followsDefault, Map<String, String> targets) {
        String templateId = followsDefault.get(owner);
        return templateId == null ? null : targets.get(templateId);
    }

    /** The canaries of {@code cluster} recorded on the templates (tag {@code deckhand:canary:CLUSTER}). */
    public List<Canary> canaries(String cluster, List<ManagedTemplate> templates) {
        List<Canary> canaries = new ArrayList<>();
        for (ManagedTemplate template : templates) {
            Canary canary = Canary.parse(cluster, template.tags().get(Canary.TAG_PREFIX + cluster));
            if (canary != null) {
                canaries.add(canary);
            }
        }
        return canaries;
    }

    /**
     * How a run came out: a rollback first; then templates updated or instances retired (a dry run says so);
     * then an image error; else up to date.
     *
     * @param moved consumers moved; @param retired instances retired; @param rolledBack templates rolled back
     */
    public Outcome outcome(List<TemplateOutcome> outcomes, int moved, int retired, int rolledBack, boolean dryRun, boolean windowOpen,
                           MaintenanceWindow window) {
        long updated = outcomes.stream().filter(TemplateOutcome::updated).count();
        long errors = outcomes.stream().filter(o -> o.action() == TemplateOutcome.Action.ERROR).count();
        RotationDecision decision = rolledBack > 0 ? RotationDecision.ROLLED_BACK
                : dryRun && (updated > 0 || retired > 0) ? RotationDecision.DRY_RUN_ROTATE
                : updated > 0 || retired > 0 ? RotationDecision.ROTATING
                : errors > 0 ? RotationDecision.IMAGE_ERROR : RotationDecision.UP_TO_DATE;
        String reason = updated + " template(s) " + (dryRun ? "would be " : "") + "updated, " + moved + " consumer(s) moved, "
                + retired + " instance(s) " + (dryRun ? "would be " : "") + "retired" + (errors > 0 ? ", " + errors + " template(s) with an image error" : "")
                + (windowOpen ? "" : "; outside the maintenance window " + window);
        return new Outcome(decision, reason);
    }

    public Plan plan(String cluster, List<Node> nodes, Map<String, String> targets, List<Canary> canaries, Budget budget,
                     Instant now, boolean windowOpen) {
        return plan(cluster, nodes, targets, canaries, budget, now, windowOpen, null);
    }

    /**
     * @param onlyTemplates a run for some templates only (a request's {@code launchTemplateIds}, a
     *                      parameter's change): candidates are their instances, and no other's, even
     *                      past the maximum age; null for every template. Every instance still counts
     *                      against the budget, and retirements already under way go on.
     */
    public Plan plan(String cluster, List<Node> nodes, Map<String, String> targets, List<Canary> canaries, Budget budget,
                     Instant now, boolean windowOpen, Set<String> onlyTemplates) {
        return plan(cluster, nodes, targets, canaries, budget, now, windowOpen, onlyTemplates, Map.of());
    }

    /**
     * @param failedLaunches images whose launch failed just now for a reason a person must fix (a missing AMI, an
     *                       instance profile, ...), with AWS's status message: a canary on one of them rolls back at
     *                       once, without waiting for its deadline
     */
    public Plan plan(String cluster, List<Node> nodes, Map<String, String> targets, List<Canary> canaries, Budget budget,
                     Instant now, boolean windowOpen, Set<String> onlyTemplates, Map<String, String> failedLaunches) {
        List<Node> live = nodes.stream().filter(n -> n.active() || n.draining()).toList();
        int allowed = budget.allowedDraining(live.size());
        int draining = (int) live.stream().filter(n -> n.draining() || n.retiring()).count();
        List<Plan.Retirement> retire = new ArrayList<>();
        List<Plan.Skipped> skipped = new ArrayList<>();
        if (!windowOpen) {
            return new Plan(cluster, retire, List.of(), List.of(), null, null,
                    "outside the maintenance window: templates are updated, no instance is retired", skipped, draining, allowed);
        }
        List<Node> terminate = live.stream().filter(n -> n.retiring() && n.draining() && n.tasks() == 0 && n.owner().replaces()).toList();
        List<Node> resend = live.stream().filter(n -> n.retiring() && n.active()).toList();

        List<Node> candidates = new ArrayList<>();
        for (Node node : live) {
            if (!node.active() || node.retiring() || (onlyTemplates != null && !onlyTemplates.contains(node.templateId()))) {
                continue;
            }
            String why = reason(node, targets, budget.maxAge(), now);
            if (why == null) {
                continue;
            }
            if (!node.owner().replaces()) {
                skipped.add(new Plan.Skipped(node.ec2InstanceId(), why + ", but no Auto Scaling group or maintained fleet would replace it"));
                continue;
            }
            candidates.add(node);
        }
        candidates.sort(Comparator.comparing((Node n) -> !stale(n, targets)).thenComparing(Node::launchTime,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Node::ec2InstanceId));
        int activeLeft = (int) live.stream().filter(n -> n.active() && !n.retiring()).count();
        if (candidates.isEmpty()) {
            return new Plan(cluster, retire, resend, terminate, null, null, null, skipped, draining, allowed);
        }

        TreeSet<String> newImages = new TreeSet<>();
        candidates.stream().filter(n -> stale(n, targets)).forEach(n -> newImages.add(targets.get(n.templateId())));
        for (String image : newImages) {
            boolean proven = live.stream().anyMatch(n -> n.active() && !n.retiring() && n.agentConnected() && image.equals(n.imageId()));
            if (proven) {
                continue;
            }
            Canary started = canaries.stream().filter(c -> image.equals(c.imageId())).findFirst().orElse(null);
            if (started != null && failedLaunches.containsKey(image)) {
                String template = candidates.stream().filter(n -> image.equals(targets.get(n.templateId()))).findFirst()
                        .map(Node::templateId).orElseThrow();
                return new Plan(cluster, retire, resend, terminate, null, new Plan.Rollback(template, image,
                        "canary " + started.ec2InstanceId() + "'s replacement cannot launch on " + image + ": " + failedLaunches.get(image)
                                + " (rolled back at once, without waiting for the canary deadline)"), null, skipped, draining, allowed);
            }
            if (started != null) {
                Duration waited = Duration.between(started.startedAt(), now);
                if (waited.compareTo(budget.canaryDeadline()) > 0) {
                    String template = candidates.stream().filter(n -> image.equals(targets.get(n.templateId()))).findFirst()
                            .map(Node::templateId).orElseThrow();
                    return new Plan(cluster, retire, resend, terminate, null, new Plan.Rollback(template, image,
                            "canary " + started.ec2InstanceId() + " was retired " + waited.toMinutes() + " min ago and no replacement on "
                                    + image + " registered ACTIVE in " + cluster + " within " + budget.canaryDeadline().toMinutes() + " min"),
                            null, skipped, draining, allowed);
                }
                Node unmarked = candidates.stream().filter(n -> n.ec2InstanceId().equals(started.ec2InstanceId())).findFirst().orElse(null);
                if (unmarked != null && draining < allowed && activeLeft > 1) {   // the canary was recorded and the run stopped before marking it: mark it now
                    retire.add(new Plan.Retirement(unmarked, reason(unmarked, targets, budget.maxAge(), now) + " (canary, resumed)", true));
                }
                return new Plan(cluster, retire, resend, terminate, null, null, "canary " + started.ec2InstanceId()
                        + " is retiring; the other instances wait for a replacement ACTIVE on " + image, skipped, draining, allowed);
            }
            Node first = candidates.stream().filter(n -> image.equals(targets.get(n.templateId()))).findFirst().orElseThrow();
            if (draining >= allowed || activeLeft <= 1) {
                return new Plan(cluster, retire, resend, terminate, null, null, waitingForBudget(draining, allowed, activeLeft),
                        skipped, draining, allowed);
            }
            retire.add(new Plan.Retirement(first, reason(first, targets, budget.maxAge(), now) + " (canary: the first instance of "
                    + cluster + " on " + image + ")", true));
            return new Plan(cluster, retire, resend, terminate, new Canary(cluster, image, first.ec2InstanceId(), now), null,
                    "the other instances wait for the canary's replacement", skipped, draining, allowed);
        }

        int room = allowed - draining;
        for (Node candidate : candidates) {
            if (room <= 0 || activeLeft <= 1) {
                break;
            }
            retire.add(new Plan.Retirement(candidate, reason(candidate, targets, budget.maxAge(), now), false));
            room--;
            activeLeft--;
        }
        int waitingCount = candidates.size() - retire.size();
        String waiting = waitingCount == 0 ? null : waitingCount + " instance(s) wait: "
                + waitingForBudget(draining + retire.size(), allowed, activeLeft);
        return new Plan(cluster, retire, resend, terminate, null, null, waiting, skipped, draining, allowed);
    }

    private static String waitingForBudget(int draining, int allowed, int activeLeft) {
        return activeLeft <= 1 ? "the last ACTIVE instance is never retired"
                : "disruption budget full (" + draining + " of " + allowed + " allowed draining)";
    }

    static boolean stale(Node node, Map<String, String> targets) {
        String target = node.templateId() == null ? null : targets.get(node.templateId());
        return target != null && !target.equals(node.imageId());
    }

    private static String reason(Node node, Map<String, String> targets, Duration maxAge, Instant now) {
        if (stale(node, targets)) {
            return "runs " + node.imageId() + "; launch template " + node.templateId() + " now launches " + targets.get(node.templateId());
        }
        if (maxAge != null && node.launchTime() != null && node.launchTime().plus(maxAge).isBefore(now)) {
            return "launched " + node.launchTime() + ", older than " + maxAge.toHours() + " h";
        }
        return null;
    }
}
