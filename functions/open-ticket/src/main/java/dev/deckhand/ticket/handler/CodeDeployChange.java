package dev.deckhand.ticket.handler;

/**
 * The detail of {@code aws.codedeploy} / {@code CodeDeploy Deployment State-change Notification}.
 * Example (CodeDeploy User Guide, "Monitoring deployments with Amazon EventBridge"):
 *
 * <pre>{@code
 * "detail": {"instanceGroupId": "9fd2fbef-2157-40d8-91e7-6845af69e2d2", "region": "us-east-1",
 *            "application": "myApplication", "deploymentId": "d-123456789", "state": "FAILURE",
 *            "deploymentGroup": "myDeploymentGroup"}
 * }</pre>
 */
record CodeDeployChange(String application, String deploymentGroup, String deploymentId, String state, String region) {

    CodeDeployChange {
        EventFieldChecks.matching("detail.application", application, java.util.regex.Pattern.compile("[A-Za-z0-9_.+\\-]{1,100}"), 100,
                "a CodeDeploy application name");
        EventFieldChecks.matching("detail.deploymentGroup", deploymentGroup, java.util.regex.Pattern.compile("[A-Za-z0-9_.+\\-]{1,100}"), 100,
                "a CodeDeploy deployment group name");
        EventFieldChecks.matching("detail.deploymentId", deploymentId, java.util.regex.Pattern.compile("d-[A-Z0-9]{9}"), 11,
                "a CodeDeploy deployment id (d- and 9 characters)");
        EventFieldChecks.require("detail.state", state);
    }
}
