package dev.deckhand.core.event;

/**
 * Every EventBridge {@code source} and {@code detail-type} Deckhand routes, in one place. The
 * strings are AWS's own, from each service's event documentation; template.yaml's rules use the
 * same strings, and the routing test checks both against the samples in events/.
 */
public final class EventTypes {

    public static final String SOURCE_EC2 = "aws.ec2";

    public static final String SOURCE_AUTOSCALING = "aws.autoscaling";
    public static final String SOURCE_ECS = "aws.ecs";
    /** EventBridge's own: scheduled rules. */
    public static final String SOURCE_EVENTS = "aws.events";
    /** AWS Health User Guide, "Reference: AWS Health events Amazon EventBridge schema". */
    public static final String SOURCE_HEALTH = "aws.health";
    /** Amazon ECR User Guide, "Amazon ECR events and EventBridge". */
    public static final String SOURCE_ECR = "aws.ecr";
    /** Amazon Inspector User Guide, "Creating custom responses to Amazon Inspector findings with Amazon EventBridge". */
    public static final String SOURCE_INSPECTOR = "aws.inspector2";
    /** CodeDeploy User Guide, "Monitoring deployments with Amazon EventBridge". */
    public static final String SOURCE_CODEDEPLOY = "aws.codedeploy";
    /** EC2 User Guide, "Spot Fleet event types". */
    public static final String SOURCE_SPOT_FLEET = "aws.ec2spotfleet";
    /** EC2 User Guide, "EC2 Fleet event types". */
    public static final String SOURCE_EC2_FLEET = "aws.ec2fleet";
    /** Systems Manager User Guide, "Monitoring Systems Manager events with Amazon EventBridge". */
    public static final String SOURCE_SSM = "aws.ssm";
    /** EC2 Image Builder User Guide, "Use EventBridge". */
    public static final String SOURCE_IMAGEBUILDER = "aws.imagebuilder";
    /** Deckhand's own events; see {@link InstanceRetirementRequested}. */
    public static final String SOURCE_DECKHAND = "deckhand";

    /** EC2 User Guide, "Spot Instance interruption notices". */
    public static final String SPOT_INTERRUPTION_WARNING = "EC2 Spot Instance Interruption Warning";
    /** EC2 User Guide, "EC2 instance rebalance recommendations". */
    public static final String REBALANCE_RECOMMENDATION = "EC2 Instance Rebalance Recommendation";
    /** EC2 User Guide, "Instance state-change events"; detail {@code state} is pending, running, stopping, ... */
    public static final String INSTANCE_STATE_CHANGE = "EC2 Instance State-change Notification";
    /** EC2 Auto Scaling User Guide, "Amazon EC2 Auto Scaling event reference": Terminating:Wait. */
    public static final String LIFECYCLE_TERMINATE = "EC2 Instance-terminate Lifecycle Action";
    /** Same reference: Pending:Wait. */
    public static final String LIFECYCLE_LAUNCH = "EC2 Instance-launch Lifecycle Action";
    /** Same AWS Health reference: every Health event but abuse reports; {@code detail.eventTypeCategory} tells them apart. */
    public static final String HEALTH_EVENT = "AWS Health Event";
    /** ECS Developer Guide, "Amazon ECS service deployment state change events". */
    public static final String ECS_DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";
    /** ECS Developer Guide, "Amazon ECS container instance state change events". */
    public static final String ECS_CONTAINER_INSTANCE_STATE_CHANGE = "ECS Container Instance State Change";
    /** ECS Developer Guide, "Amazon ECS service action events". */
    public static final String ECS_SERVICE_ACTION = "ECS Service Action";
    /** EC2 Auto Scaling event reference: a launch failed (its {@code StatusMessage} says why). */
    public static final String LAUNCH_UNSUCCESSFUL = "EC2 Instance Launch Unsuccessful";
    /** Same reference: a launch succeeded. */
    public static final String LAUNCH_SUCCESSFUL = "EC2 Instance Launch Successful";
    /** EC2 User Guide, "Spot Fleet event types". */
    public static final String SPOT_FLEET_ERROR = "EC2 Spot Fleet Error";
    /** Same page. */
    public static final String SPOT_FLEET_INSTANCE_CHANGE = "EC2 Spot Fleet Instance Change";
    /** EC2 User Guide, "EC2 Fleet event types". */
    public static final String EC2_FLEET_ERROR = "EC2 Fleet Error";
    /** Same page. */
    public static final String EC2_FLEET_INSTANCE_CHANGE = "EC2 Fleet Instance Change";
    /** ECR User Guide, "Amazon ECR events and EventBridge". */
    public static final String ECR_IMAGE_SCAN = "ECR Image Scan";
    /** Inspector User Guide, EventBridge schema for findings. */
    public static final String INSPECTOR_FINDING = "Inspector2 Finding";
    /** CodeDeploy User Guide, deployment state-change events. */
    public static final String CODEDEPLOY_DEPLOYMENT = "CodeDeploy Deployment State-change Notification";
    /** Systems Manager User Guide, Parameter Store events. */
    public static final String PARAMETER_STORE_CHANGE = "Parameter Store Change";
    /** Image Builder User Guide: an image's state changed (AVAILABLE is the one Deckhand acts on). */
    public static final String IMAGE_STATE_CHANGE = "EC2 Image Builder Image State Change";
    /** EventBridge User Guide, scheduled rules. */
    public static final String SCHEDULED_EVENT = "Scheduled Event";
    /** Deckhand's own: one function asks drain-instance to drain an instance it retires. */
    public static final String INSTANCE_RETIREMENT_REQUESTED = InstanceRetirementRequested.DETAIL_TYPE;
    /** Deckhand's own: run rotate-ami now; see {@link AmiRefreshRequested}. */
    public static final String AMI_REFRESH_REQUESTED = AmiRefreshRequested.DETAIL_TYPE;
    /** Deckhand's own: hold-capacity is capped and the cluster still short after its window; see {@link CapacityShortage}. */
    public static final String CAPACITY_SHORTAGE = CapacityShortage.DETAIL_TYPE;

    private EventTypes() {
    }
}
