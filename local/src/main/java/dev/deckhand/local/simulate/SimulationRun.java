package dev.deckhand.local.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.emulator.AccountSeeder;
import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.faults.FaultProxy;
import dev.deckhand.local.faults.FaultRates;
import dev.deckhand.local.scheduler.FleetSnapshot;
import dev.deckhand.local.scheduler.LocalScheduler;
import dev.deckhand.local.scheduler.SchedulerEvent;
import dev.deckhand.local.scheduler.SchedulerEvent.Kind;
import dev.deckhand.local.simulate.Deliverer.Delivery;
import dev.deckhand.local.simulate.FleetSeeder.FleetInstance;
import dev.deckhand.local.simulate.RunResult.DrainTiming;
import dev.deckhand.local.simulate.RunResult.Sample;
import dev.deckhand.local.simulate.RunResult.ServiceOutcome;
import dev.deckhand.local.simulate.Scenario.AmiRelease;
import dev.deckhand.local.simulate.Scenario.ClusterSpec;
import dev.deckhand.local.simulate.Scenario.Deploy;
import dev.deckhand.local.simulate.Scenario.RebalanceWave;
import dev.deckhand.local.simulate.Scenario.ServiceSpec;
import dev.deckhand.local.simulate.Scenario.SpotStorm;
import dev.deckhand.local.simulate.Scenario.TimelineEntry;
import dev.deckhand.local.template.SamTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
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

    /** One thing of the timeline, at one moment, on one instance or service. */
    private record Happening(Duration at, TimelineEntry entry, FleetInstance instance) {
    }

    private final Scenario scenario;
    private final SamTemplate template;
    private final boolean deckhand;
    private final FaultRates faults;
    private final long faultSeed;
    private final Consumer<String> progress;

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
            Ec2Client ec2 = emulator.client(Ec2Client.builder(), region);
            SqsClient sqs = emulator.client(SqsClient.builder(), region);
            SsmClient ssm = emulator.client(SsmClient.builder(), region);

            FleetSeeder seeder = new FleetSeeder(ecs, ec2, emulator, region);
            Map<String, FleetInstance> fleet = seeder.seed(scenario, n -> progress.accept(label() + ": seeding " + n + " / "
                    + scenario.instanceCount() + " instances"));
            for (TimelineEntry entry : scenario.timeline()) {
                if (entry instanceof AmiRelease ami) {
                    ssm.putParameter(r -> r.name(ami.parameter()).value(AccountSeeder.AMI).type(ParameterType.STRING).overwrite(true));
                }
            }
            template.queues().forEach(queue -> sqs.createQueue(r -> r.queueName(queue)));
            software.amazon.awssdk.services.eventbridge.EventBridgeClient bridge =
                    emulator.client(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(), region);
            template.buses().forEach(bus -> bridge.createEventBus(r -> r.name(bus)));
            Duration seeding = Duration.ofNanos(System.nanoTime() - started);

            Map<String, String> environment = new LinkedHashMap<>(emulator.environment(region));
            environment.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            try (Deliverer deliverer = new Deliverer(template, environment, proxy, sqs, region)) {
                return simulate(ecs, emulator, ssm, seeder, fleet, deliverer, proxy, seeding, started);
            }
        }
    }

    private String label() {
        return deckhand ? "with Deckhand" : "without Deckhand";
    }

    private RunResult simulate(EcsClient ecs, LocalAws emulator, SsmClient ssm, FleetSeeder seeder, Map<String, FleetInstance> fleet,
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
            for (Delivery retry : deliverer.retriesDue(elapsed)) {
                record(List.of(retry), null, drains, deliveries, notes);
            }

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
                        reclaimed++;
                        if (instance != null && instance.spec().replacement() != null) {
                            replacementsDue.put(instance.ec2InstanceId(), elapsed.plus(instance.spec().replacement()));
                        }
                    }
                    case INSTANCE_STOPPED -> {
                        doomed.remove(event.ec2InstanceId());
                        raised.add(events.stateChange(event.ec2InstanceId(), "stopping"));
                    }
                    case INSTANCE_STARTED -> raised.add(events.stateChange(event.ec2InstanceId(), "running"));
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
                List.copyOf(notes));
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
        plan.sort(java.util.Comparator.comparing(Happening::at));
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
            ssm.putParameter(r -> r.name(ami.parameter()).value(ami.imageId()).type(ParameterType.STRING).overwrite(true));
            if (deckhand) {
                // Its rule is on Deckhand's own bus (a person invokes rotate-ami with it; rotate-ami README): delivered as that rule would.
                delivered.addAll(deliverer.deliver(template.buses().get(0), events.amiRefresh(ami.parameter(), ami.imageId()), elapsed,
                        ami.parameter()));
            }
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
