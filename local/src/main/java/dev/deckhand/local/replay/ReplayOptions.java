package dev.deckhand.local.replay;

import dev.deckhand.local.faults.FaultRates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code deckhand replay EVENT.json [EVENT.json...] [--dry-run | --apply] [--endpoint URL|aws] [--json] [--keep-time]
 * [--parameter Name=Value]... [--faults SPEC] [--fault-seed N] [--deliveries N] [--history FILE]... [--bus NAME]}
 *
 * @param dryRun   whether the functions run with DECKHAND_DRY_RUN=true: with {@code --dry-run}, and
 *                 with {@code --endpoint} unless {@code --apply} (an endpoint other than the replay's
 *                 own emulator may be a real account)
 * @param endpoint null for the emulator with the demo account; a URL for another endpoint (no
 *                 seeding); {@code aws} for the real AWS endpoints of the SDK's usual credentials
 * @param bus      the event bus EVENT is put on: {@code default} (AWS services' events), or Deckhand's
 *                 own bus, whose rules take Deckhand's retirement and AMI refresh requests
 */
public record ReplayOptions(Path event, boolean dryRun, String endpoint, boolean json, boolean keepTime,
                            Map<String, String> parameters, FaultRates faults, long faultSeed, int deliveries,
                            List<Path> history, String bus) {

    public static final String USAGE = """
            usage: deckhand replay EVENT.json [EVENT.json...] [options]
              routes EVENT.json by template.yaml's rules and invokes each routed function as Lambda would;
              several events replay one after another, each on a new demo account, the options applying
              to each, and a line `ok` or `FAIL` per event goes to stderr
              --dry-run              run the functions with DECKHAND_DRY_RUN=true
              --endpoint URL|aws     use another endpoint (no demo seeding); `aws` = the real AWS
                                     endpoints with the SDK's usual credentials. Prints the caller's
                                     account and region first, refuses an event of another account,
                                     and is a dry run unless --apply
              --apply                with --endpoint: let the functions change the account
              --parameter Name=Value a template parameter, as `sam deploy --parameter-overrides` takes it
              --keep-time            keep the event's own `time` (default: set it to now, as if it just arrived)
              --faults SPEC          put a fault proxy between the function and the emulator, e.g.
                                     throttle=0.2,error=0.1,slow=0.05,drop=0.05,lost=0.05 (probability per request)
              --fault-seed N         the proxy's random seed (default 1), to replay the same faults
              --deliveries N         deliver the event N times (EventBridge delivers at least once; default 1)
              --history FILE         first replay the events of FILE (one event or a JSON array, each
                                     routed and invoked in turn, times kept relative to EVENT's) on the
                                     same emulator: the past that EVENT's run decides on
              --bus NAME             the event bus EVENT is put on (default: default, where AWS services'
                                     events arrive); Deckhand's own requests travel on Deckhand's bus,
                                     `deckhand-deckhand` here (<stack>-deckhand when deployed)
              --json                 print one JSON document instead of text""";

    private static final Set<String> TAKES_VALUE =
            Set.of("--endpoint", "--history", "--bus", "--faults", "--fault-seed", "--deliveries", "--parameter");

    /** One replay's options per event file named in {@code args}, each with every option of {@code args}. */
    public static List<ReplayOptions> parseEach(List<String> args) {
        List<Integer> events = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (TAKES_VALUE.contains(args.get(i))) {
                i++;
            } else if (!args.get(i).startsWith("--")) {
                events.add(i);
            }
        }
        if (events.size() <= 1) {
            return List.of(parse(args));
        }
        List<ReplayOptions> each = new ArrayList<>();
        for (int event : events) {
            List<String> one = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (i == event || !events.contains(i)) {
                    one.add(args.get(i));
                }
            }
            each.add(parse(one));
        }
        return List.copyOf(each);
    }

    public static ReplayOptions parse(List<String> args) {
        Path event = null;
        boolean dryRun = false;
        boolean apply = false;
        boolean json = false;
        boolean keepTime = false;
        String endpoint = null;
        Map<String, String> parameters = new LinkedHashMap<>();
        FaultRates faults = FaultRates.NONE;
        long faultSeed = 1;
        int deliveries = 1;
        List<Path> history = new ArrayList<>();
        String bus = "default";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--dry-run" -> dryRun = true;
                case "--apply" -> apply = true;
                case "--json" -> json = true;
                case "--keep-time" -> keepTime = true;
                case "--endpoint" -> endpoint = value(args, ++i, arg);
                case "--history" -> history.add(Path.of(value(args, ++i, arg)));
                case "--bus" -> bus = value(args, ++i, arg);
                case "--faults" -> faults = FaultRates.parse(value(args, ++i, arg));
                case "--fault-seed" -> {
                    String seed = value(args, ++i, arg);
                    try {
                        faultSeed = Long.parseLong(seed);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--fault-seed takes a whole number, got '" + seed + "'");
                    }
                }
                case "--deliveries" -> {
                    String count = value(args, ++i, arg);
                    try {
                        deliveries = Integer.parseInt(count);
                    } catch (NumberFormatException e) {
                        deliveries = 0;
                    }
                    if (deliveries < 1 || deliveries > 10) {
                        throw new IllegalArgumentException("--deliveries takes a whole number from 1 to 10, got '" + count + "'");
                    }
                }
                case "--parameter" -> {
                    String pair = value(args, ++i, arg);
                    int equals = pair.indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException("--parameter takes Name=Value, got '" + pair + "'");
                    }
                    parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
                default -> {
                    if (arg.startsWith("--") || event != null) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
                    }
                    event = Path.of(arg);
                }
            }
        }
        if (event == null) {
            throw new IllegalArgumentException("replay needs an event file\n" + USAGE);
        }
        if (dryRun && apply) {
            throw new IllegalArgumentException("--dry-run and --apply contradict each other: choose one");
        }
        if (parameters.containsKey("DryRun")) {
            boolean parameterDryRun = !"false".equalsIgnoreCase(parameters.get("DryRun"));
            if (!parameterDryRun && endpoint != null && !apply) {
                throw new IllegalArgumentException("with --endpoint, a replay that changes the account takes --apply, not --parameter DryRun=false");
            }
            if (parameterDryRun && apply) {
                throw new IllegalArgumentException("--apply and --parameter DryRun=" + parameters.get("DryRun") + " contradict each other");
            }
        }
        // Anything but the replay's own emulator may be a real account: changed only when the user says so.
        if (endpoint != null && !apply) {
            dryRun = true;
        }
        if (dryRun) {
            parameters.put("DryRun", "true");
        }
        if (endpoint != null && !faults.equals(FaultRates.NONE)) {
            throw new IllegalArgumentException("--faults works with the emulator only, not with --endpoint");
        }
        if (endpoint != null && !history.isEmpty()) {
            throw new IllegalArgumentException("--history works with the emulator only, not with --endpoint");
        }
        return new ReplayOptions(event, dryRun, endpoint, json, keepTime, parameters, faults, faultSeed, deliveries, List.copyOf(history), bus);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
