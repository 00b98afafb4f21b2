package dev.deckhand.local.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a sample of a function's JVM is sorted into the parts of its own time (innermost frame first). */
class OwnTimePartsTest {

    private static final String INVOKE = "dev.deckhand.core.event.EventInvocation.invoke";
    private static final String FLOW = "dev.deckhand.rotate.executor.RotationFlow.run";

    @Test
    void add_sortsOwnSamplesByWhoseCodeRan_andLeavesOutCallsAndWhatIsOutsideTheHandler() {
        OwnTimeParts.Counter counter = new OwnTimeParts.Counter();

        counter.add(List.of("software.amazon.awssdk.auth.credentials.SystemSettingsCredentialsProvider.resolveCredentials",
                "software.amazon.awssdk.services.ec2.auth.scheme.internal.Ec2AuthSchemeInterceptor.beforeExecution",
                "software.amazon.awssdk.services.ec2.DefaultEc2Client.describeInstances", FLOW, INVOKE));
        counter.add(List.of("software.amazon.awssdk.awscore.internal.AwsExecutionContextBuilder.invokeInterceptorsAndCreateExecutionContext",
                FLOW, INVOKE));
        counter.add(List.of("com.fasterxml.jackson.databind.ObjectMapper.treeToValue", "dev.deckhand.core.event.EventParser.detail", INVOKE));
        counter.add(List.of("dev.deckhand.core.log.JsonLogger.write", FLOW, INVOKE));
        counter.add(List.of("java.util.HashMap.get", FLOW, INVOKE));
        // inside a call's window: marshalling, the HTTP pipeline, Deckhand's own interceptor
        counter.add(List.of("software.amazon.awssdk.core.internal.handler.BaseClientHandler.finalizeSdkHttpFullRequest", FLOW, INVOKE));
        counter.add(List.of("software.amazon.awssdk.core.internal.http.pipeline.stages.ApplyTransactionIdStage.execute", FLOW, INVOKE));
        counter.add(List.of("dev.deckhand.core.aws.AwsCallCounter.beforeExecution", FLOW, INVOKE));
        // outside the handler's work: the runtime client reading the next event
        counter.add(List.of("com.fasterxml.jackson.databind.ObjectMapper.readTree", "com.amazonaws.services.lambda.runtime.api.client.AWSLambda.main"));

        OwnTimeParts parts = counter.parts();
        assertEquals(new OwnTimeParts(5, 2, 1, 1, 1, 1), parts);
        assertArrayEquals(new String[] {"RotateAmiFunction", "5", "2 (40%)", "1 (20%)", "1 (20%)", "1 (20%)", "1 (20%)"},
                parts.row("RotateAmiFunction"));
    }
}
