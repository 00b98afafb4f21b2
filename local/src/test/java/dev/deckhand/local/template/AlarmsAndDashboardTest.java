package dev.deckhand.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing fails where no person sees it: every queue (failure queues, dead-letter queues) and every
 * function's errors have an alarm that notifies the AlarmTopicArn topic, and all of them are on
 * the dashboard, whose body is valid JSON. Read from what is deployed: the SAM transform's output
 * ({@link SamTransformOutput}), where each function is an AWS::Lambda::Function.
 */
@Tag("template")
class AlarmsAndDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** drain-instance's own work queue (lifecycle hook rechecks): what it gives up on lands in its failure queue. */
    private static final String WORK_QUEUE = "DrainRecheckQueue";
    private static final String FUNCTION = "AWS::Lambda::Function";
    private static final Map<String, Object> RESOURCES = SamTransformOutput.resources();

    @Test
    void everyQueueAndEveryFunction_hasAnAlarmToTheAlarmTopic() throws Exception {
        List<String> alarms = alarms();
        List<String> missing = new ArrayList<>();
        for (String id : ofType("AWS::SQS::Queue")) {
            if (id.equals(WORK_QUEUE)) {
                continue;
            }
            if (alarms.stream().noneMatch(alarm -> alarm.contains(id + ".QueueName") || alarm.contains("[" + id + ", QueueName]")
                    || alarm.contains("\"" + id + "\""))) {
                missing.add(id);
            }
        }
        for (String id : ofType(FUNCTION)) {
            if (alarms.stream().noneMatch(alarm -> alarm.contains("Errors") && alarm.contains(id))) {
                missing.add(id + " (errors)");
            }
        }
        assertEquals(List.of(), missing, "without an alarm");
        for (String alarm : alarms) {
            assertTrue(alarm.contains("AlarmTopicArn"), "an alarm that notifies no one: " + alarm);
        }
    }

    @Test
    void dashboard_isValidJson_andShowsEveryQueueAndFunction() throws Exception {
        Map<?, ?> dashboard = (Map<?, ?>) ((Map<?, ?>) RESOURCES.get("DeckhandDashboard")).get("Properties");
        Object body = dashboard.get("DashboardBody");
        String text = body instanceof Map<?, ?> sub ? String.valueOf(sub.get("Fn::Sub")) : String.valueOf(body);
        String resolved = text.replaceAll("\\$\\{[A-Za-z0-9:.]+}", "x");

        JsonNode widgets = JSON.readTree(resolved).path("widgets");

        assertTrue(widgets.size() >= 8, "widgets: " + widgets.size());
        List<String> missing = new ArrayList<>();
        for (String id : ofType("AWS::SQS::Queue")) {
            if (!text.contains("${" + id + ".QueueName}") && !id.equals(WORK_QUEUE)) {
                missing.add(id);
            }
        }
        for (String id : ofType(FUNCTION)) {
            if (!text.contains("${" + id + "}")) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "not on the dashboard");
    }

    private static List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        RESOURCES.forEach((id, resource) -> {
            if (type.equals(((Map<?, ?>) resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static List<String> alarms() throws Exception {
        List<String> alarms = new ArrayList<>();
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            alarms.add(JSON.writeValueAsString(RESOURCES.get(id)));
        }
        return alarms;
    }
}
