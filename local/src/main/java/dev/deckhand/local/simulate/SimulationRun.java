package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.faults.FaultRates;
import dev.deckhand.local.scheduler.FleetSnapshot;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import dev.deckhand.local.scheduler.SchedulerEvent;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import dev.deckhand.local.simulate.ScenarioFleet.FleetInstance;
import dev.deckhand.local.simulate.RunResult.DrainTiming;
import dev.deckhand.local.simulate.RunResult.LaunchActivity;
import dev.deckhand.local.simulate.RunResult.Sample;
import dev.deckhand.local.simulate.RunResult.ServiceOutcome;
import dev.deckhand.local.simulate.RunResult.TemplateState;
import dev.deckhand.local.simulate.RunResult.TicketState;
import dev.deckhand.local.simulate.Scenario.AmiRelease;
import dev.deckhand.local.simulate.Scenario.ClusterSpec;
import dev.deckhand.local.simulate.Scenario.Deploy;
import dev.deckhand.local.simulate.Scenario.ImageDeregistered;
import dev.deckhand.local.simulate.Scenario.RebalanceWave;
import dev.deckhand.local.simulate.Scenario.ServiceSpec;
import dev.deckhand.local.simulate.Scenario.SpotStorm;
import dev.deckhand.local.simulate.Scenario.TimelineEntry;
import dev.deckhand.local.template.RuleSpec;
import dev.deckhand.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * One run of a scenario on a fresh emulator, with Deckhand (every event routed and delivered to
 * the functions) or without (the same happenings in AWS, no function): seed the fleet, then step
 * the local scheduler through simulated time, firing the timeline's happenings as they fall due.
 */
final class SimulationRun {

    /** EC2 reclaims a Spot Instance two minutes after its interruption warning. */
    static final Duration SPOT_NOTICE = Duration.ofMinutes(2);

    /**
     * Auto Scaling tries again this long after a failed launch while its group is below its desired
     * capacity (AWS backs off between attempts; the interval is the simulator's).
     */
    static final Duration LAUNCH_RETRY = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One thing of the timeline, at one moment, on one instance or service. */
    private record Happening(Duration at, TimelineEntry entry, FleetInstance instance) {
    }

    /** A schedule rule of template.yaml ({@code rate(...)}) and when it fires next, in simulated time. */
    private static final class Schedule {
        final RuleSpec rule;
        final Duration every;
        Duration next;

        Schedule(RuleSpec rule, Duration every) {
            this.rule = rule;
            this.every = every;
            this.next = every;
        }
    }

    private final Scenario scenario;
    private final SamTemplate template;
    private final boolean deckhand;
    private final FaultRates faults;
    private final long faultSeed;
    private final Consumer<String> progress;
    // AWS's side of one run, set by run(): the groups' launches, Deckhand's own bus, the images released.
    private AutoScalingClient autoscaling;
    private Ec2Client ec2;
    private SqsClient sqs;
    private ScenarioFleet seeder;
    private String ownBusQueue;
    private final Map<String, String> released = new HashMap<>();
    private final Set<String> activitiesSeen = new HashSet<>();
    private final Map<String, Duration> launchRetries = new LinkedHashMap<>();
    private final List<LaunchActivity> launches = new ArrayList<>();

    SimulationRun(Scenario scenario, SamTemplate template, boolean deckhand, FaultRates faults, long faultSeed, Consumer<String> progress) {
        this.scenario = scenario;
        this.template = template;
        this.deckhand = deckhand;
        this.faults = faults;
        this.faultSeed = faultSeed;
        this.progress = progress;
    }

    RunResult run() {
        long started = System.nanoTime();
        String region = scenario.region();
        try (LocalAws emulator = LocalAws.start();
             FaultProxy proxy = new FaultProxy(emulator.endpoint(), deckhand ? faults : FaultRates.NONE, faultSeed)) {
            EcsClient ecs = emulator.client(EcsClient.builder(), region);
            ec2 = emulator.client(Ec2Client.builder(), region);
            sqs = emulator.client(SqsClient.builder(), region);
            autoscaling = emulator.client(AutoScalingClient.builder(), region);
            SsmClient ssm = emulator.client(SsmClient.builder(), region);

            // The current image is in each golden-image parameter before anything launches from it.
            Set<String> parameters = new LinkedHashSet<>();
            scenario.clusters().stream().map(ClusterSpec::amiParameter).filter(Objects::nonNull).forEach(parameters::add);
            scenario.timeline().stream().filter(AmiRelease.class::isInstance).map(e -> ((AmiRelease) e).parameter()).forEach(parameters::add);
            for (String parameter : parameters) {
                ssm.putParameter(r -> r.name(parameter).value(AccountSeeder.AMI).type(ParameterType.STRING).overwrite(true));
            }
            seeder = new ScenarioFleet(ecs, ec2, autoscaling, emulator, region);
            Map<String, FleetInstance> fleet = seeder.seed(scenario, n -> progress.accept(label() + ": seeding " + n + " / "
                    + scenario.instanceCount() + " instances"));
            for (String group : seeder.groups().keySet()) {
                autoscaling.describeScalingActivities(r -> r.autoScalingGroupName(group)).activities()
                        .forEach(a -> activitiesSeen.add(a.activityId()));
            }
            template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
            EventBridgeClient bridge =
                    emulator.client(EventBridgeClient.builder(), region);
            template.buses().forEach(bus -> bridge.createEventBus(r -> r.name(bus)));
            if (deckhand && !template.buses().isEmpty()) {
                ownBusQueue = ownBusQueue(bridge, template.buses().get(0));
            }
            Duration seeding = Duration.ofNanos(System.nanoTime() - started);

            Map<String, String> environment = new LinkedHashMap<>(emulator.environment(region));
            environment.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            try (Deliverer deliverer = new Deliverer(template, environment, proxy, sqs, region)) {
                return simulate(ecs, emulator, ssm, seeder, fleet, deliverer, proxy, seeding, started);
            }
        }
    }

    /**
     * What Deckhand's functions put on Deckhand's own bus (rotate-ami's retirement requests) lands in a
     * queue, through a rule on that bus, to be routed by template.yaml's rules of that bus.
     */
    private String ownBusQueue(EventBridgeClient bridge, String bus) {
        String url = sqs.createQueue(r -> r.queueName("deckhand-simulate-own-bus")).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
        bridge.putRule(r -> r.name("deckhand-simulate-own-bus").eventBusName(bus).eventPattern("{\"source\":[\"deckhand\"]}"));
        bridge.putTargets(r -> r.rule("deckhand-simulate-own-bus").eventBusName(bus).targets(t -> t.id("simulate").arn(arn)));
        return url;
    }

    /**
     * Delivers what AWS sends after what just happened, until nothing more comes: each new launch
     * activity of the scenario's Auto Scaling groups as Auto Scaling's event, and each event the
     * functions put on Deckhand's own bus.
     */
    private void settle(Duration elapsed, ScenarioEvents events, Deliverer deliverer, Map<String, DrainTiming> drains,
                        List<Delivery> deliveries, Set<String> notes) {
        for (int round = 0; round < 20; round++) {
            boolean more = false;
            for (String group : seeder.groups().keySet()) {
                List<Activity> fresh = new ArrayList<>(autoscaling.describeScalingActivities(r -> r.autoScalingGroupName(group)).activities());
                fresh.removeIf(a -> activitiesSeen.contains(a.activityId()));
                if (fresh.isEmpty()) {
                    continue;
                }
                more = true;
                Collections.reverse(fresh);   // newest first as AWS lists them; sent oldest first
                String arn = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().get(0)
                        .autoScalingGroupARN();
                for (Activity activity : fresh) {
                    activitiesSeen.add(activity.activityId());
                    boolean failed = activity.statusCode() == ScalingActivityStatusCode.FAILED;
                    launches.add(new LaunchActivity(elapsed, group, failed, ScenarioEvents.instanceOf(activity),
                            activity.statusMessage() == null ? "" : activity.statusMessage(), deliveries.size()));
                    if (failed) {
                        launchRetries.put(group, elapsed.plus(LAUNCH_RETRY));
                    }
                    if (deckhand) {
                        record(deliverer.deliver(events.launchActivity(arn, activity), elapsed, group), null, drains, deliveries, notes);
                    }
                }
            }
            if (ownBusQueue != null) {
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(ownBusQueue).maxNumberOfMessages(10)).messages()) {
                    more = true;
                    sqs.deleteMessage(r -> r.queueUrl(ownBusQueue).receiptHandle(message.receiptHandle()));
                    ObjectNode event;
                    try {
                        event = (ObjectNode) JSON.readTree(message.body());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    String subject = event.path("detail").path("instance-id").asText(event.path("detail-type").asText());
                    record(deliverer.deliver(template.buses().get(0), event, elapsed, subject), null, drains, deliveries, notes);
                }
            }
            if (!more) {
                return;
            }
        }
    }

    /** Auto Scaling tries again to launch what a group lacks, {@link #LAUNCH_RETRY} after its last failed launch. */
    private void retryLaunches(Duration elapsed) {
        for (var it = launchRetries.entrySet().iterator(); it.hasNext(); ) {
            var retry = it.next();
            if (retry.getValue().compareTo(elapsed) > 0) {
                continue;
            }
            it.remove();
            var group = autoscaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(retry.getKey())).autoScalingGroups().get(0);
            if (group.instances().size() < group.desiredCapacity()) {
                autoscaling.setDesiredCapacity(r -> r.autoScalingGroupName(group.autoScalingGroupName()).desiredCapacity(group.desiredCapacity()));
            }
        }
    }

    /** The enabled schedule rules of template.yaml with a {@code rate(...)}: EventBridge fires each every period from the start. */
    private List<Schedule> schedules() {
        List<Schedule> schedules = new ArrayList<>();
        Pattern rate = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
        for (RuleSpec rule : template.rules()) {
            if (rule.schedule() == null || !rule.enabled()) {
                continue;
            }
            Matcher m = rate.matcher(rule.schedule().trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration every = m.group(2).startsWith("minute") ? Duration.ofMinutes(n) : m.group(2).startsWith("hour") ? Duration.ofHours(n)
                        : Duration.ofDays(n);
                schedules.add(new Schedule(rule, every));
            }
        }
        return schedules;
    }

    /** What stands at the end: the OpsItems, the scenario's launch templates, the running instances by image. */
    private RunResult.Aftermath aftermath(SsmClient ssm) {
        List<TicketState> tickets = new ArrayList<>();
        for (var summary : ssm.describeOpsItems(r -> r.maxResults(50)).opsItemSummaries()) {
            var item = ssm.getOpsItem(r -> r.opsItemId(summary.opsItemId())).opsItem();
            tickets.add(new TicketState(item.opsItemId(), item.title(), item.statusAsString(),
                    item.description() == null ? List.of() : item.description().lines().toList()));
        }
        List<TemplateState> templates = new ArrayList<>();
        for (String cluster : seeder.groups().values()) {
            var lt = ec2.describeLaunchTemplates(r -> r.launchTemplateNames(cluster)).launchTemplates().get(0);
            String image = ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(lt.launchTemplateId()).versions("$Default"))
                    .launchTemplateVersions().get(0).launchTemplateData().imageId();
            templates.add(new TemplateState(cluster, lt.defaultVersionNumber(), image, lt.latestVersionNumber()));
        }
        Map<String, Integer> byImage = new TreeMap<>();
        ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-state-name")
                        .values("running").build(), Filter.builder().name("tag-key")
                        .values(AccountSeeder.CLUSTER_TAG).build()))
                .reservations().forEach(reservation -> reservation.instances().forEach(i -> byImage.merge(i.imageId(), 1, Integer::sum)));
        String deadline = template.functions().stream().filter(f -> f.logicalId().equals("RotateAmiFunction")).findFirst()
                .map(f -> f.environment().get("DECKHAND_ROTATE_CANARY_DEADLINE")).orElse(null);
        return new RunResult.Aftermath(List.copyOf(launches), tickets, templates, byImage, deadline == null ? null : Text.parseDuration(deadline));
    }

    private String label() {
        return deckhand ? "with Deckhand" : "without Deckhand";
    }

    private RunResult simulate(EcsClient ecs, LocalAws emulator, SsmClient ssm, ScenarioFleet seeder, Map<String, FleetInstance> fleet,
                               Deliverer deliverer, FaultProxy proxy, Duration seeding, long started) {
        String region = scenario.region();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ScenarioEvents events = new ScenarioEvents(region, scenario.seed());
        LocalScheduler scheduler = new LocalScheduler(ecs, emulator.client(Ec2Client.builder(), region), emulator, region, start);
        List<Happening> happenings = plan(fleet);
        List<Delivery> deliveries = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        Map<String, int[]> outcome = new TreeMap<>(); // cluster/service -> desired, lowest, killed, moved, unplaceable, cut short
        Map<String, Integer> desired = new HashMap<>();
        for (ClusterSpec spec : scenario.clusters()) {
            for (String cluster : spec.names()) {
                for (ServiceSpec service : spec.services()) {
                    desired.put(cluster + "/" + service.name(), service.desired());
                    outcome.put(cluster + "/" + service.name(), new int[] {service.desired(), service.desired(), 0, 0, 0, 0});
                }
            }
        }
        int desiredTotal = desired.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, DrainTiming> drains = new LinkedHashMap<>();
        Set<String> doomed = new LinkedHashSet<>();
        Map<String, Duration> replacementsDue = new LinkedHashMap<>();
        Set<String> notes = new LinkedHashSet<>();
        int reclaimed = 0;
        int replacements = 0;
        int gone = 0;

        scheduler.step(Duration.ZERO);
        FleetSnapshot snapshot = scheduler.snapshot();
        samples.add(sample(Duration.ZERO, snapshot, doomed, gone, running(snapshot).values().stream().mapToInt(Integer::intValue).sum(), desiredTotal));
        List<Schedule> schedules = deckhand ? schedules() : List.of();
        int next = 0;
        int counted = 0;
        Set<String> touched = new HashSet<>();
        Duration elapsed = Duration.ZERO;
        while (elapsed.compareTo(scenario.duration()) < 0) {
            // What falls due at this moment: the timeline, then Lambda's retries.
            while (next < happenings.size() && happenings.get(next).at().compareTo(elapsed) <= 0) {
                Happening happening = happenings.get(next++);
                List<Delivery> delivered = fire(happening, elapsed, start, scheduler, ecs, ssm, events, deliverer, doomed, touched);
                record(delivered, happening, drains, deliveries, notes);
            }
            for (Schedule schedule : schedules) {
                for (; schedule.next.compareTo(elapsed) <= 0; schedule.next = schedule.next.plus(schedule.every)) {
                    // SAM names a function's schedule rule <stack>-<Function><Event>-<suffix>; the router knows it by that.
                    record(deliverer.deliver(events.scheduled("deckhand-" + schedule.rule.name().replace(".", "") + "-SIMULATED"), elapsed,
                            schedule.rule.name()), null, drains, deliveries, notes);
                }
            }
            for (Delivery retry : deliverer.retriesDue(elapsed)) {
                record(List.of(retry), null, drains, deliveries, notes);
            }
            settle(elapsed, events, deliverer, drains, deliveries, notes);

            Map<String, Integer> running = running(snapshot);
            int total = running.values().stream().mapToInt(Integer::intValue).sum();
            int lowestTotal = total;
            for (; counted < deliveries.size(); counted++) {
                touched.addAll(clustersOf(deliveries.get(counted), fleet));
            }
            // The emulator's clock moves with the scheduler's: stopping tasks pass their phases on it (ecs_task_phases.py).
            emulator.control("clock/advance", Map.of("seconds", scenario.tick().toSeconds()));
            List<SchedulerEvent> step = scheduler.step(scenario.tick(), touched::contains);
            touched.clear();
            elapsed = Duration.between(start, scheduler.now());
            List<ObjectNode> raised = new ArrayList<>();
            for (SchedulerEvent event : step) {
                String key = event.cluster() + "/" + event.service();
                int[] service = outcome.get(key);
                switch (event.kind()) {
                    case TASK_STARTED -> {
                        running.merge(key, 1, Integer::sum);
                        total++;
                    }
                    case TASK_STOPPED, TASK_KILLED -> {
                        if (service != null) {
                            running.merge(key, -1, Integer::sum);
                            total--;
                            service[1] = Math.min(service[1], running.get(key));
                            service[event.kind() == Kind.TASK_KILLED ? 2 : 3] += event.kind() == Kind.TASK_KILLED
                                    || event.detail().startsWith("its instance is") ? 1 : 0;
                        }
                    }
                    case TASK_CUT_SHORT -> {
                        if (service != null) {
                            service[5]++;   // already out of the running count since the scheduler stopped it
                        }
                    }
                    case TASK_UNPLACEABLE -> {
                        if (service != null) {
                            service[4]++;
                        }
                    }
                    case INSTANCE_TERMINATED -> {
                        FleetInstance instance = fleet.get(event.ec2InstanceId());
                        doomed.remove(event.ec2InstanceId());
                        gone++;
                        if (instance == null || instance.group() == null) {
                            reclaimed++;   // a group's instance goes by a termination through its group (a rotation), not a reclaim
                        }
                        if (instance != null && instance.group() == null && instance.spec().replacement() != null) {
                            replacementsDue.put(instance.ec2InstanceId(), elapsed.plus(instance.spec().replacement()));
                        }
                    }
                    case INSTANCE_STOPPED -> {
                        doomed.remove(event.ec2InstanceId());
                        raised.add(events.stateChange(event.ec2InstanceId(), "stopping"));
                    }
                    case INSTANCE_STARTED -> raised.add(events.stateChange(event.ec2InstanceId(), "running"));
                    case INSTANCE_REGISTERED -> {
                        if (!fleet.containsKey(event.ec2InstanceId())) {   // an Auto Scaling group's launch, its agent now started
                            replacements++;
                            touched.add(event.cluster());
                        }
                    }
                    case DEPLOYMENT_COMPLETED -> raised.add(events.deploymentStateChange(event.cluster(), event.service(), event.detail(),
                            "SERVICE_DEPLOYMENT_COMPLETED"));
                    default -> {
                    }
                }
                lowestTotal = Math.min(lowestTotal, total);
            }
            for (var it = replacementsDue.entrySet().iterator(); it.hasNext(); ) {
                var due = it.next();
                if (due.getValue().compareTo(elapsed) <= 0) {
                    it.remove();
                    FleetInstance replacement = seeder.replace(fleet.get(due.getKey()));
                    fleet.put(replacement.ec2InstanceId(), replacement);
                    touched.add(replacement.cluster());
                    replacements++;
                    raised.add(events.containerInstanceActive(replacement));
                }
            }
            if (deckhand) {
                for (ObjectNode event : raised) {
                    String subject = event.path("resources").path(0).asText();
                    String named = subject.contains(":instance/") ? subject.substring(subject.lastIndexOf('/') + 1)
                            : subject.substring(subject.lastIndexOf(':') + 1);
                    record(deliverer.deliver(event, elapsed, named), null, drains, deliveries, notes);
                }
            }
            retryLaunches(elapsed);
            settle(elapsed, events, deliverer, drains, deliveries, notes);
            snapshot = scheduler.snapshot();
            samples.add(sample(elapsed, snapshot, doomed, gone, lowestTotal, desiredTotal));
            progress.accept(String.format("%s: %s / %s simulated, %d events delivered, %d tasks killed, %d running",
                    label(), Text.clock(elapsed), Text.clock(scenario.duration()), deliveries.size(),
                    outcome.values().stream().mapToInt(o -> o[2]).sum(), running(snapshot).values().stream().mapToInt(Integer::intValue).sum()));
        }
        if (deliverer.retriesPending()) {
            notes.add("some Lambda retries were still pending when the scenario ended");
        }
        Map<String, ServiceOutcome> services = new LinkedHashMap<>();
        outcome.forEach((key, o) -> {
            int slash = key.indexOf('/');
            services.put(key, new ServiceOutcome(key.substring(0, slash), key.substring(slash + 1), o[0], o[1], o[2], o[3], o[4], o[5]));
        });
        List<DrainTiming> timings = new ArrayList<>();
        for (DrainTiming timing : drains.values()) {
            timings.add(new DrainTiming(timing.ec2InstanceId(), timing.signal(), timing.signalAt(), timing.drainedAt(), timing.millis(),
                    !fleetStillHas(snapshot, timing.ec2InstanceId())));
        }
        return new RunResult(deckhand, samples, services, deliveries, timings, deliverer.failureRecords(), deliverer.coldStarts(),
                deckhand ? proxy.injected() : Map.of(), reclaimed, replacements, seeding, Duration.ofNanos(System.nanoTime() - started),
                List.copyOf(notes), aftermath(ssm));
    }

    /** The clusters a function may have changed while handling {@code delivery}: its subject's, and any its result names. */
    private static Set<String> clustersOf(Delivery delivery, Map<String, FleetInstance> fleet) {
        Set<String> clusters = new HashSet<>();
        if (delivery.rule() == null) {
            return clusters;
        }
        String subject = delivery.subject();
        FleetInstance instance = fleet.get(subject);
        if (instance != null) {
            clusters.add(instance.cluster());
        } else if (subject.startsWith("container-instance/")) {
            clusters.add(subject.split("/")[1]);
        } else if (subject.contains("/")) {
            clusters.add(subject.substring(0, subject.indexOf('/')));
        }
        if (delivery.result() != null) {
            clusters.addAll(delivery.result().findValuesAsText("cluster"));
        }
        return clusters;
    }

    private static boolean fleetStillHas(FleetSnapshot snapshot, String instanceId) {
        return snapshot.statusByInstance().containsKey(instanceId);
    }

    /** Picks the instances each timeline entry hits, with the scenario's seed: both runs hit the same positions in the fleet. */
    private List<Happening> plan(Map<String, FleetInstance> fleet) {
        Random random = new Random(scenario.seed());
        List<Happening> plan = new ArrayList<>();
        Set<String> recommended = new LinkedHashSet<>();
        Set<String> interrupted = new HashSet<>();
        for (TimelineEntry entry : scenario.timeline()) {
            if (entry instanceof SpotStorm storm) {
                List<FleetInstance> candidates = spot(fleet, storm.clusters(), interrupted);
                Collections.shuffle(candidates, random);
                if (storm.preferRecommended()) {
                    candidates.sort((a, b) -> Boolean.compare(!recommended.contains(a.ec2InstanceId()), !recommended.contains(b.ec2InstanceId())));
                }
                List<FleetInstance> hit = candidates.subList(0, Math.min(storm.count(), candidates.size()));
                for (int i = 0; i < hit.size(); i++) {
                    interrupted.add(hit.get(i).ec2InstanceId());
                    plan.add(new Happening(storm.at().plus(storm.within().multipliedBy(i).dividedBy(hit.size())), storm, hit.get(i)));
                }
            } else if (entry instanceof RebalanceWave wave) {
                List<FleetInstance> candidates = spot(fleet, wave.clusters(), interrupted);
                candidates.removeIf(i -> recommended.contains(i.ec2InstanceId()));
                Collections.shuffle(candidates, random);
                List<FleetInstance> hit = candidates.subList(0, Math.min(wave.count(), candidates.size()));
                for (int i = 0; i < hit.size(); i++) {
                    recommended.add(hit.get(i).ec2InstanceId());
                    plan.add(new Happening(wave.at().plus(wave.within().multipliedBy(i).dividedBy(hit.size())), wave, hit.get(i)));
                }
            } else {
                plan.add(new Happening(entry.at(), entry, null));
            }
        }
        plan.sort(Comparator.comparing(Happening::at));
        return plan;
    }

    private static List<FleetInstance> spot(Map<String, FleetInstance> fleet, List<String> clusters, Set<String> excluded) {
        List<FleetInstance> spot = new ArrayList<>();
        for (FleetInstance instance : fleet.values()) {
            if (instance.spot() && (clusters.isEmpty() || clusters.contains(instance.cluster())) && !excluded.contains(instance.ec2InstanceId())) {
                spot.add(instance);
            }
        }
        return spot;
    }

    /** Does in AWS what {@code happening} is, then (with Deckhand) delivers the event AWS would send. */
    private List<Delivery> fire(Happening happening, Duration elapsed, Instant start, LocalScheduler scheduler, EcsClient ecs, SsmClient ssm,
                                ScenarioEvents events, Deliverer deliverer, Set<String> doomed, Set<String> touched) {
        List<Delivery> delivered = new ArrayList<>();
        TimelineEntry entry = happening.entry();
        if (entry instanceof SpotStorm) {
            String id = happening.instance().ec2InstanceId();
            Duration stopsFor = happening.instance().spec().spotStopsFor();
            if (stopsFor == null) {
                scheduler.terminateAt(id, start.plus(elapsed).plus(SPOT_NOTICE), "Spot interruption (terminate)");
            } else {
                // Interruption action stop: stopped two minutes after the warning, running again later.
                scheduler.stopAt(id, start.plus(elapsed).plus(SPOT_NOTICE), start.plus(elapsed).plus(SPOT_NOTICE).plus(stopsFor));
            }
            doomed.add(id);
            if (deckhand) {
                delivered.addAll(deliverer.deliver(events.spotWarning(id, stopsFor == null ? "terminate" : "stop"), elapsed, id));
            }
        } else if (entry instanceof RebalanceWave) {
            if (deckhand) {
                String id = happening.instance().ec2InstanceId();
                delivered.addAll(deliverer.deliver(events.rebalanceRecommendation(id), elapsed, id));
            }
        } else if (entry instanceof Deploy deploy) {
            for (ClusterSpec spec : scenario.clusters()) {
                if (spec.services().stream().noneMatch(s -> s.name().equals(deploy.service()))) {
                    continue;
                }
                for (String cluster : spec.names()) {
                    if (!deploy.clusters().isEmpty() && !deploy.clusters().contains(cluster)) {
                        continue;
                    }
                    touched.add(cluster);
                    var service = ecs.updateService(r -> r.cluster(cluster).service(deploy.service()).forceNewDeployment(true)).service();
                    String deploymentId = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
                            .map(d -> d.id()).orElse("ecs-svc/unknown");
                    if (deckhand) {
                        delivered.addAll(deliverer.deliver(events.deploymentStateChange(cluster, deploy.service(), deploymentId,
                                "SERVICE_DEPLOYMENT_IN_PROGRESS"), elapsed, cluster + "/" + deploy.service()));
                    }
                }
            }
        } else if (entry instanceof AmiRelease ami) {
            String imageId = ami.imageId() != null ? ami.imageId()
                    : ec2.registerImage(r -> r.name(ami.imageName()).rootDeviceName("/dev/xvda").architecture("x86_64")).imageId();
            if (ami.imageName() != null) {
                released.put(ami.imageName(), imageId);
            }
            ssm.putParameter(r -> r.name(ami.parameter()).value(imageId).type(ParameterType.STRING).overwrite(true));
            if (deckhand) {
                // Parameter Store sends its change to the default bus, whoever wrote the value.
                delivered.addAll(deliverer.deliver(events.parameterChange(ami.parameter(), "Update"), elapsed, ami.parameter()));
            }
            if (deckhand && ami.request()) {
                // Its rule is on Deckhand's own bus (a person invokes rotate-ami with it; rotate-ami README): delivered as that rule would.
                delivered.addAll(deliverer.deliver(template.buses().get(0), events.amiRefresh(ami.parameter(), imageId), elapsed,
                        ami.parameter()));
            }
        } else if (entry instanceof ImageDeregistered gone) {
            ec2.deregisterImage(r -> r.imageId(released.get(gone.imageName())));
        }
        return delivered;
    }

    private static void record(List<Delivery> delivered, Happening happening, Map<String, DrainTiming> drains, List<Delivery> deliveries,
                               Set<String> notes) {
        for (Delivery delivery : delivered) {
            deliveries.add(delivery);
            if (delivery.rule() == null) {
                notes.add(delivery.detailType() + ": no rule in template.yaml routes it, so no function ran");
                continue;
            }
            String signal = delivery.detailType();
            if (signal.startsWith("EC2 Spot") || signal.startsWith("EC2 Instance Rebalance")) {
                drains.putIfAbsent(delivery.subject(), new DrainTiming(delivery.subject(), signal, delivery.at(), null, 0, false));
                JsonNode result = delivery.result();
                DrainTiming first = drains.get(delivery.subject());
                if (first.drainedAt() == null && result != null && "DRAIN".equals(result.path("decision").asText())) {
                    drains.put(delivery.subject(), new DrainTiming(first.ec2InstanceId(), first.signal(), first.signalAt(), delivery.at(),
                            delivery.millis(), false));
                }
            }
        }
    }

    private static Map<String, Integer> running(FleetSnapshot snapshot) {
        Map<String, Integer> running = new HashMap<>();
        snapshot.tasksByService().forEach((cluster, services) -> services.forEach((service, count) -> running.put(cluster + "/" + service, count)));
        return running;
    }

    private static Sample sample(Duration at, FleetSnapshot snapshot, Set<String> doomed, int gone, int runningTasks, int desiredTasks) {
        int active = 0;
        int draining = 0;
        for (Map<String, Integer> byStatus : snapshot.instancesByStatus().values()) {
            active += byStatus.getOrDefault("ACTIVE", 0);
            draining += byStatus.getOrDefault("DRAINING", 0);
        }
        return new Sample(at, active, draining, doomed.size(), gone, runningTasks, desiredTasks);
    }
}
