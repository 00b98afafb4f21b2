package dev.deckhand.ticket.handler;

/**
 * The sources, detail-types and states open-ticket handles, AWS's own strings from each service's
 * event documentation (template.yaml's rules use the same; RoutingTest checks both).
 */
final class TicketEvents {

    static final String SOURCE_ECR = "aws.ecr";
    static final String SOURCE_INSPECTOR = "aws.inspector2";
    static final String SOURCE_ECS = "aws.ecs";
    static final String SOURCE_CODEDEPLOY = "aws.codedeploy";
    /** Amazon ECR User Guide, "Amazon ECR events and EventBridge": basic scanning's scan-completed event. */
    static final String ECR_IMAGE_SCAN = "ECR Image Scan";
    /** Amazon Inspector User Guide, "EventBridge event schema for Amazon Inspector events". */
    static final String INSPECTOR_FINDING = "Inspector2 Finding";
    /** ECS Developer Guide, "Amazon ECS service deployment state change events". */
    static final String ECS_DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";
    /** ECS Developer Guide, "Amazon ECS service action events". */
    static final String ECS_SERVICE_ACTION = "ECS Service Action";
    /** CodeDeploy User Guide, "Monitoring deployments with Amazon EventBridge". */
    static final String CODEDEPLOY_DEPLOYMENT = "CodeDeploy Deployment State-change Notification";

    static final String SOURCE_AUTOSCALING = "aws.autoscaling";
    static final String SOURCE_EC2_FLEET = "aws.ec2fleet";
    static final String SOURCE_SPOT_FLEET = "aws.ec2spotfleet";
    /** EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference". */
    static final String LAUNCH_UNSUCCESSFUL = "EC2 Instance Launch Unsuccessful";
    static final String LAUNCH_SUCCESSFUL = "EC2 Instance Launch Successful";
    /** EC2 User Guide, "EC2 Fleet event types" and "Spot Fleet event types". */
    static final String EC2_FLEET_ERROR = "EC2 Fleet Error";
    static final String SPOT_FLEET_ERROR = "EC2 Spot Fleet Error";
    static final String EC2_FLEET_INSTANCE_CHANGE = "EC2 Fleet Instance Change";
    static final String SPOT_FLEET_INSTANCE_CHANGE = "EC2 Spot Fleet Instance Change";
    static final String FLEET_LAUNCHED = "launched";

    /** Deckhand's own, on Deckhand's bus: hold-capacity's {@link dev.deckhand.core.event.CapacityShortage}. */
    static final String SOURCE_DECKHAND = dev.deckhand.core.event.EventTypes.SOURCE_DECKHAND;
    static final String CAPACITY_SHORTAGE = dev.deckhand.core.event.EventTypes.CAPACITY_SHORTAGE;

    static final String DEPLOYMENT_IN_PROGRESS = "SERVICE_DEPLOYMENT_IN_PROGRESS";
    static final String DEPLOYMENT_COMPLETED = "SERVICE_DEPLOYMENT_COMPLETED";
    static final String DEPLOYMENT_FAILED = "SERVICE_DEPLOYMENT_FAILED";
    static final String TASK_PLACEMENT_FAILURE = "SERVICE_TASK_PLACEMENT_FAILURE";
    static final String TASK_START_IMPAIRED = "SERVICE_TASK_START_IMPAIRED";

    private TicketEvents() {
    }
}
