package dev.deckhand.ticket.handler;

import java.util.regex.Pattern;

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

    /** CodeDeploy's application and deployment group names (CreateApplication, CreateDeploymentGroup). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+\\-]{1,100}");
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("d-[A-Z0-9]{9}");

    CodeDeployChange {
        EventFieldChecks.matching("detail.application", application, NAME, 100,
                "a CodeDeploy application name");
        EventFieldChecks.matching("detail.deploymentGroup", deploymentGroup, NAME, 100,
                "a CodeDeploy deployment group name");
        EventFieldChecks.matching("detail.deploymentId", deploymentId, DEPLOYMENT_ID, 11,
                "a CodeDeploy deployment id (d- and 9 characters)");
        EventFieldChecks.require("detail.state", state);
    }
}
