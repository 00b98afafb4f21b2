package dev.deckhand.core.aws;

import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** A container instance found for an EC2 instance, with the cluster (name) it is registered in. */
public record FoundInstance(String cluster, ContainerInstance containerInstance) {

    public String containerInstanceArn() {
        return containerInstance.containerInstanceArn();
    }

    public String status() {
        return containerInstance.status();
    }

    /** The value of tag {@code key} on the container instance (described with its tags), or null. */
    public String tag(String key) {
        return containerInstance.tags().stream().filter(t -> key.equals(t.key())).map(t -> t.value()).findFirst().orElse(null);
    }
}
