package dev.deckhand.local.failures;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code deckhand failures list|redrive --endpoint URL|aws (--stack NAME | --queue URL...) [--region R]
 * [--id ID]... [--all] [--apply] [--max N]}
 *
 * @param redrive  {@code redrive} rather than {@code list}
 * @param apply    re-deliver for real; without it a redrive only says what it would do
 * @param ids      message ids or event ids to re-deliver
 */
public record FailuresOptions(boolean redrive, String endpoint, String stack, List<String> queues, String region,
                              List<String> ids, boolean all, boolean apply, int max) {

    public static final String USAGE = """
            usage: deckhand failures list|redrive --endpoint URL|aws (--stack NAME | --queue URL...) [options]
              list      what the stack's failure queues hold: each function's OnFailure queue (Lambda's
                        destination records) and the rules' dead-letter queue (EventBridge's); for each
                        message the function, why it failed, when, and the event's source, detail-type and id
              redrive   re-deliver chosen events to their function (Lambda Invoke, InvocationType Event),
                        a dry run unless --apply; a message is deleted only once Lambda accepted its event
              --endpoint URL|aws  `aws` = the real AWS endpoints with the SDK's usual credentials
              --stack NAME        find the queues in the stack's outputs (*FailureQueueUrl, EventDeadLetterQueueUrl)
              --queue URL         a queue to read instead (repeatable)
              --region R          default: the SDK's region (AWS_REGION, profile)
              --id ID             redrive: a message id or an event id (repeatable)
              --all               redrive: every message that can be re-delivered
              --apply             redrive: do it (default: print what it would re-deliver)
              --max N             messages read per queue (default 100)""";

    public static FailuresOptions parse(List<String> args) {
        if (args.isEmpty() || !(args.get(0).equals("list") || args.get(0).equals("redrive"))) {
            throw new IllegalArgumentException("failures takes `list` or `redrive` first\n" + USAGE);
        }
        boolean redrive = args.get(0).equals("redrive");
        String endpoint = null;
        String stack = null;
        String region = null;
        List<String> queues = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        boolean all = false;
        boolean apply = false;
        int max = 100;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--endpoint" -> endpoint = value(args, ++i, arg);
                case "--stack" -> stack = value(args, ++i, arg);
                case "--queue" -> queues.add(value(args, ++i, arg));
                case "--region" -> region = value(args, ++i, arg);
                case "--id" -> ids.add(value(args, ++i, arg));
                case "--all" -> all = true;
                case "--apply" -> apply = true;
                case "--max" -> {
                    String count = value(args, ++i, arg);
                    try {
                        max = Integer.parseInt(count);
                    } catch (NumberFormatException e) {
                        max = 0;
                    }
                    if (max < 1 || max > 10_000) {
                        throw new IllegalArgumentException("--max takes a whole number from 1 to 10000, got '" + count + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
            }
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("failures needs --endpoint URL or --endpoint aws (the queues of which account)");
        }
        if ((stack == null) == queues.isEmpty()) {
            throw new IllegalArgumentException("failures needs either --stack NAME or --queue URL, not both and not neither");
        }
        if (!redrive && (all || apply || !ids.isEmpty())) {
            throw new IllegalArgumentException("--id, --all and --apply go with `failures redrive`, not `list`");
        }
        if (redrive && all == !ids.isEmpty()) {
            throw new IllegalArgumentException("redrive needs --id ID (repeatable) or --all, not both and not neither");
        }
        return new FailuresOptions(redrive, endpoint, stack, List.copyOf(queues), region, List.copyOf(ids), all, apply, max);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
