package dev.deckhand.local.failures;

import dev.deckhand.emulator.LocalAws;
import dev.deckhand.local.replay.CallerAccount;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code deckhand failures}: what a stack's failure queues hold, and the way back for the events
 * in them. {@code list} reads each queue without consuming it; {@code redrive} hands chosen events
 * back to their function as EventBridge did (an asynchronous invoke), a dry run unless
 * {@code --apply}, and deletes a message only once Lambda accepted its event: a re-delivery that
 * fails leaves the message where it was. Only a Deckhand event for one of the stack's functions is
 * re-delivered, and a drain-instance recheck message goes back to the stack's recheck queue (its
 * output {@code DrainRecheckQueueUrl}); anything else is shown with the reason, and never deleted.
 *
 * <pre>{@code
 * new FailuresCommand().run(FailuresOptions.parse(List.of("redrive", "--endpoint", "aws", "--stack", "deckhand", "--all")), out, err);
 * }</pre>
 */
public final class FailuresCommand {

    /** The stack output naming drain-instance's recheck queue, where its given-up messages go back. */
    static final String RECHECK_QUEUE_OUTPUT = "DrainRecheckQueueUrl";

    private final Redelivery redelivery;

    public FailuresCommand() {
        this(null);
    }

    /** @param redelivery how events go back, or null for Lambda Invoke at the command's endpoint */
    FailuresCommand(Redelivery redelivery) {
        this.redelivery = redelivery;
    }

    /** @param notes where the caller's account goes, first */
    public int run(FailuresOptions options, PrintStream out, PrintStream notes) {
        String region = options.region() != null ? options.region() : new DefaultAwsRegionProviderChain().getRegion().id();
        CallerAccount caller;
        try (StsClient sts = client(StsClient.builder(), options.endpoint(), region)) {
            caller = CallerAccount.of(sts, region);
        }
        notes.println("deckhand: account " + caller.account() + " (" + caller.arn() + "), region " + region + ": "
                + (!options.redrive() ? "list reads the queues and changes nothing"
                : options.apply() ? "--apply: re-delivers and deletes what Lambda accepts"
                : "dry run: prints what it would re-deliver; --apply does it"));

        List<FailureQueue> queues = new ArrayList<>();
        Predicate<String> stackFunction;
        String recheckQueue = null;
        if (options.stack() != null) {
            Stack stack;
            try (CloudFormationClient cloudFormation = client(CloudFormationClient.builder(), options.endpoint(), region)) {
                stack = cloudFormation.describeStacks(r -> r.stackName(options.stack())).stacks().get(0);
            }
            Set<String> functions = new LinkedHashSet<>();
            for (Output output : stack.outputs()) {
                String key = output.outputKey();
                if (key.equals(RECHECK_QUEUE_OUTPUT)) {
                    recheckQueue = output.outputValue();
                } else if (key.endsWith("FailureQueueUrl") || key.equals("EventDeadLetterQueueUrl")) {
                    queues.add(new FailureQueue(key.substring(0, key.length() - "Url".length()), output.outputValue()));
                } else if (key.endsWith("Function")) {
                    functions.add(output.outputValue());
                }
            }
            if (queues.isEmpty()) {
                throw new IllegalArgumentException("stack " + options.stack() + " has no *FailureQueueUrl or EventDeadLetterQueueUrl output: is it Deckhand's?");
            }
            stackFunction = arn -> functions.contains(ParkedEvent.functionName(arn));
        } else {
            options.queues().forEach(url -> queues.add(FailureQueue.ofUrl(url)));
            // Without the stack, a function of the caller's own account and region is the most that can be checked.
            String place = region + ":" + caller.account();
            stackFunction = arn -> place.equals(ParkedEvent.functionPlace(arn));
        }

        int exit = 0;
        try (SqsClient sqs = client(SqsClient.builder(), options.endpoint(), region);
             LambdaClient lambda = options.redrive() && options.apply() && redelivery == null
                     ? client(LambdaClient.builder(), options.endpoint(), region) : null) {
            Redelivery delivery = redelivery != null ? redelivery : lambda == null ? null : new LambdaRedelivery(lambda);
            Set<String> matchedIds = new LinkedHashSet<>();
            for (FailureQueue queue : queues) {
                List<Message> messages = queue.receive(sqs, options.max());
                out.println(queue.name() + " (" + queue.url() + "): " + messages.size() + (messages.size() == 1 ? " message" : " messages")
                        + (messages.size() == options.max() ? " read (--max; there may be more)" : ""));
                Set<String> deleted = new LinkedHashSet<>();
                try {
                    for (Message message : messages) {
                        ParkedEvent parked = ParkedEvent.read(queue.name(), message, stackFunction);
                        print(parked, out);
                        if (!options.redrive() || !chosen(parked, options, matchedIds)) {
                            continue;
                        }
                        if (parked.kind() == ParkedEvent.Kind.RECHECK) {
                            if (requeue(parked, queue, message, sqs, recheckQueue, options.apply(), out)) {
                                deleted.add(message.messageId());
                            } else if (options.apply() && recheckQueue != null) {
                                exit = 1;
                            }
                        } else if (!parked.redeliverable()) {
                            out.println("    redrive  skipped: " + parked.skipReason() + "; left in the queue");
                            if (parked.kind() == ParkedEvent.Kind.MALFORMED) {
                                exit = 1;
                            }
                        } else if (!options.apply()) {
                            out.println("    redrive  would re-deliver event " + parked.eventId() + " to " + parked.unqualifiedFunctionArn()
                                    + " (asynchronous invoke) and then delete the message");
                        } else {
                            Redelivery.Result result = delivery.deliver(parked.unqualifiedFunctionArn(), parked.payload());
                            if (result.accepted()) {
                                try {
                                    queue.delete(sqs, message.receiptHandle());
                                    deleted.add(message.messageId());
                                    out.println("    redrive  re-delivered to " + parked.unqualifiedFunctionArn() + ": " + result.detail()
                                            + "; message deleted");
                                } catch (SqsException e) {
                                    // Delivered but kept: a later redrive delivers it again, which Deckhand's idempotent actions absorb.
                                    out.println("    redrive  re-delivered to " + parked.unqualifiedFunctionArn() + ", but the message could not be deleted ("
                                            + ParkedEvent.shorten(e.getMessage()) + "): do not redrive it again");
                                    exit = 1;
                                }
                            } else {
                                out.println("    redrive  NOT re-delivered: " + result.detail() + "; left in the queue");
                                exit = 1;
                            }
                        }
                    }
                } finally {
                    for (Message message : messages) {
                        if (!deleted.contains(message.messageId())) {
                            queue.release(sqs, message.receiptHandle());
                        }
                    }
                }
            }
            if (options.redrive() && !options.all()) {
                List<String> unknown = options.ids().stream().filter(id -> !matchedIds.contains(id)).toList();
                if (!unknown.isEmpty()) {
                    out.println("not found in the queues: " + String.join(", ", unknown));
                    exit = 1;
                }
            }
        }
        return exit;
    }

    /**
     * Puts a recheck message back on drain-instance's recheck queue, body as it was, then deletes it
     * from the failure queue; drain-instance looks at it again at once, against the state then.
     *
     * @return true when the message was put back and deleted
     */
    private static boolean requeue(ParkedEvent parked, FailureQueue queue, Message message, SqsClient sqs, String recheckQueue,
                                   boolean apply, PrintStream out) {
        if (recheckQueue == null) {
            out.println("    redrive  skipped: a recheck message goes back to drain-instance's recheck queue, which only --stack names"
                    + " (output " + RECHECK_QUEUE_OUTPUT + "); left in the queue");
            return false;
        }
        if (!apply) {
            out.println("    redrive  would put it back on " + recheckQueue + " and then delete the message");
            return false;
        }
        try {
            sqs.sendMessage(r -> r.queueUrl(recheckQueue).messageBody(message.body()));
        } catch (SqsException e) {
            out.println("    redrive  NOT put back: " + ParkedEvent.shorten(e.getMessage()) + "; left in the queue");
            return false;
        }
        try {
            queue.delete(sqs, message.receiptHandle());
        } catch (SqsException e) {
            out.println("    redrive  put back on " + recheckQueue + ", but the message could not be deleted ("
                    + ParkedEvent.shorten(e.getMessage()) + "): do not redrive it again");
            return false;
        }
        out.println("    redrive  put back on " + recheckQueue + "; message deleted");
        return true;
    }

    /** @param matchedIds collects each --id that matched, for the "not found" line */
    private static boolean chosen(ParkedEvent parked, FailuresOptions options, Set<String> matchedIds) {
        if (options.all()) {
            return true;
        }
        boolean chosen = false;
        for (String id : options.ids()) {
            if (id.equals(parked.messageId()) || id.equals(parked.eventId())) {
                matchedIds.add(id);
                chosen = true;
            }
        }
        return chosen;
    }

    private static void print(ParkedEvent parked, PrintStream out) {
        out.println("  message  " + parked.messageId() + "  [" + switch (parked.kind()) {
            case FUNCTION_FAILURE -> "the function failed";
            case RULE_DEAD_LETTER -> "EventBridge could not deliver it";
            case RECHECK -> "drain-instance's own check, given up";
            case OTHER -> "not re-deliverable";
            case MALFORMED -> "malformed";
        } + "]");
        if (parked.function() != null) {
            out.println("    to       " + parked.function());
        }
        if (parked.why() != null) {
            out.println("    why      " + parked.why());
        }
        if (parked.when() != null) {
            out.println("    when     " + parked.when());
        }
        if (parked.source() != null || parked.detailType() != null || parked.eventId() != null) {
            out.println("    event    " + parked.source() + " / " + parked.detailType() + " / id " + parked.eventId());
        }
        if (parked.skipReason() != null) {
            out.println("    problem  " + parked.skipReason());
        }
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
            B builder, String endpoint, String region) {
        builder.region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!endpoint.equals("aws")) {
            builder.endpointOverride(URI.create(endpoint));
            String key = System.getenv("AWS_ACCESS_KEY_ID");
            String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
            if (key == null || secret == null) {
                // Another endpoint (the emulator) with no credentials set: the emulator's own, as replay does.
                builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY)));
            }
        }
        return builder.build();
    }
}
