package dev.deckhand.ticket.planner;

/** What an event is about, as the result's {@code kind} names it. */
public enum TicketKind {
    ECR_SCAN, INSPECTOR, ECS_DEPLOYMENT, ECS_SERVICE_ACTION, CODEDEPLOY, LAUNCH_FAILURE, LAUNCHED_AGAIN, CAPACITY_SHORTAGE
}
