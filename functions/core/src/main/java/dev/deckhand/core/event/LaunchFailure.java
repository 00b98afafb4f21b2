package dev.deckhand.core.event;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Why a launch failed, from what AWS says: the {@code StatusMessage} of an Auto Scaling
 * {@code EC2 Instance Launch Unsuccessful} event, or the {@code sub-type} of an {@code EC2 Fleet Error} /
 * {@code EC2 Spot Fleet Error}. The one classifier hold-capacity and open-ticket share, so they agree on
 * what is capacity (On-Demand helps: hold it) and what a person must fix (a ticket). A cause may be both:
 * a Spot instance count quota stops Spot, not On-Demand, and someone should still raise it.
 *
 * <pre>{@code
 * LaunchFailure.Cause cause = LaunchFailure.ofStatusMessage(detail.statusMessage());
 * if (cause.holdable()) { ... } if (cause.needsPerson()) { ... }
 * }</pre>
 *
 * The messages are AWS's, from the EC2 Auto Scaling User Guide's troubleshooting pages:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-capacity.html (capacity, Spot and vCPU limits),
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-ami.html (AMI),
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-instancelaunchfailure.html (security group,
 * instance profile, KMS: "Client.InternalError: Client error on launch"); the fleet sub-types from the EC2
 * API Reference, "EventInformation".
 */
public final class LaunchFailure {

    /** A failure's cause; {@link #slug} is what ticket keys and logs use. */
    public enum Cause {
        /** InsufficientInstanceCapacity, "no Spot capacity available": lasts as long as the shortage, On-Demand holds it. */
        CAPACITY("capacity", true, false),
        /** The account's Spot Instance count or Spot vCPU limit: On-Demand is under another quota, and a person raises this one. */
        SPOT_QUOTA("spot-quota", true, true),
        /** vCPU or instance limits ("VcpuLimitExceeded", "InstanceLimitExceeded"): On-Demand may hit the same; a person must raise it. */
        QUOTA("quota", false, true),
        /** The AMI does not exist, is deregistered, pending, or not shared with the account. */
        IMAGE("image", false, true),
        /** The IAM instance profile does not exist or is not usable. */
        INSTANCE_PROFILE("instance-profile", false, true),
        /** A security group does not exist. */
        SECURITY_GROUP("security-group", false, true),
        /** An encrypted volume's KMS key the service-linked role may not use ("Client error on launch"). */
        KMS_KEY("kms-key", false, true),
        /** A fleet's configuration or role is not valid (spotFleetRequestConfigurationInvalid, iamFleetRoleInvalid). */
        CONFIGURATION("configuration", false, true),
        /**
         * allLaunchSpecsTemporarilyBlacklisted: "None of the configurations are valid, and several attempts
         * to launch instances have failed". Spot is not launching (hold), and the description says why (a person).
         */
        ALL_LAUNCH_SPECS_BLOCKED("all-launch-specs-blocked", true, true),
        /** A failure none of the above matches: not capacity, so a person looks at the message. */
        UNRECOGNIZED("unrecognized", false, true);

        private final String slug;
        private final boolean holdable;
        private final boolean needsPerson;

        Cause(String slug, boolean holdable, boolean needsPerson) {
            this.slug = slug;
            this.holdable = holdable;
            this.needsPerson = needsPerson;
        }

        public String slug() {
            return slug;
        }

        /** On-Demand capacity would launch where this failed: hold-capacity holds the shortfall. */
        public boolean holdable() {
            return holdable;
        }

        /** It lasts until someone changes something: open-ticket opens a ticket. */
        public boolean needsPerson() {
            return needsPerson;
        }
    }

    /** "AMI" or an AMI id as a word ("iamInstanceProfile" holds the letters too). */
    private static final Pattern AMI = Pattern.compile("\\bami\\b|\\bami-[0-9a-f]{8,17}\\b|\\bimage id\\b");

    private LaunchFailure() {
    }

    /** The cause an Auto Scaling {@code StatusMessage} names; a missing message is UNRECOGNIZED. */
    public static Cause ofStatusMessage(String statusMessage) {
        String m = statusMessage == null ? "" : statusMessage.toLowerCase(Locale.ROOT);
        if (m.contains("maxspotinstancecountexceeded") || m.contains("max spot instance count exceeded")
                || m.contains("spot instance count") || m.contains("spot vcpu") || m.contains("maxspotvcpu")) {
            return Cause.SPOT_QUOTA;
        }
        // "You have requested more vCPU capacity than your current vCPU limit of 32 allows ..." speaks of
        // capacity, but it is a quota: On-Demand would not launch either.
        if (m.contains("vcpulimitexceeded") || m.contains("vcpu limit") || m.contains("instancelimitexceeded")
                || m.contains("instance limit")) {
            return Cause.QUOTA;
        }
        if (m.contains("insufficientinstancecapacity") || m.contains("insufficient capacity") || m.contains("sufficient capacity")
                || m.contains("spot capacity") || m.contains("do not have sufficient") || m.contains("capacity-not-available")
                || m.contains("insufficient") && m.contains("capacity")) {
            return Cause.CAPACITY;
        }
        if (m.contains("instance profile") || m.contains("iaminstanceprofile")) {
            return Cause.INSTANCE_PROFILE;
        }
        boolean namesAnImage = AMI.matcher(m).find();
        if (namesAnImage && (m.contains("does not exist") || m.contains("not found") || m.contains("pending")
                || m.contains("deregistered") || m.contains("invalid") || m.contains("not authorized"))
                || m.contains("invalidamiid")) {
            return Cause.IMAGE;
        }
        if (m.contains("security group") || m.contains("invalidgroup")) {
            return Cause.SECURITY_GROUP;
        }
        if (m.contains("client.internalerror") || m.contains("client error on launch") || m.contains("kms")) {
            return Cause.KMS_KEY;
        }
        return Cause.UNRECOGNIZED;
    }

    /** The cause of a fleet error {@code sub-type}; a sub-type AWS does not document is UNRECOGNIZED. */
    public static Cause ofFleetSubType(String subType) {
        if (subType == null) {
            return Cause.UNRECOGNIZED;
        }
        return switch (subType) {
            case "spotInstanceCountLimitExceeded" -> Cause.SPOT_QUOTA;
            case "allLaunchSpecsTemporarilyBlacklisted" -> Cause.ALL_LAUNCH_SPECS_BLOCKED;
            case "spotFleetRequestConfigurationInvalid", "iamFleetRoleInvalid" -> Cause.CONFIGURATION;
            default -> Cause.UNRECOGNIZED;
        };
    }
}
