package dev.deckhand.rotate.planner;

/**
 * Something that launches instances from a launch template: an Auto Scaling group (its launch
 * template or its mixed instances policy's), an EC2 Fleet or a Spot Fleet request. {@code version} is
 * what it names: a number, {@code $Default} or {@code $Latest}.
 *
 * @param templateRef the template's id, or its name when the consumer names it so
 * @param maintained  true when it replaces an instance that goes (an Auto Scaling group; a fleet of type maintain, active)
 */
public record Consumer(Owner owner, String templateRef, String version, boolean maintained) {

    public boolean pinsANumber() {
        return version != null && version.chars().allMatch(Character::isDigit) && !version.isEmpty();
    }
}
