package dev.deckhand.rotate.planner;

import java.time.Instant;

/**
 * One container instance of a cluster as the planner sees it: its ECS status and task count, and
 * from EC2 its image, launch time, launch template, owner and Deckhand's retirement tag.
 *
 * @param templateId     the launch template it was launched from ({@code aws:ec2launchtemplate:id}), or null
 * @param retiringSince  when rotate-ami marked it for retirement (tag {@code deckhand:retiring}), or null
 */
public record Node(String ec2InstanceId, String containerInstanceArn, String status, boolean agentConnected, int tasks,
                   String imageId, Instant launchTime, String templateId, Owner owner, Instant retiringSince) {

    public boolean active() {
        return "ACTIVE".equals(status);
    }

    public boolean draining() {
        return "DRAINING".equals(status);
    }

    public boolean retiring() {
        return retiringSince != null;
    }
}
