package dev.deckhand.rotate.planner;

import dev.deckhand.core.event.EventParser;
import dev.deckhand.core.event.LaunchFailure;
import java.util.List;
import java.util.Set;

/**
 * The one request every trigger of rotate-ami becomes: the handler parses and validates the event
 * into one of these, and {@code RotationFlow} runs it.
 *
 * <pre>{@code
 * RotationResult result = flow.run(new RotationRequest.ScheduledRefresh("event-id", false));
 * }</pre>
 */
public sealed interface RotationRequest {

    /** The EventBridge event id (or, for the reconcile schedule's input, Lambda's request id). */
    String eventId();

    Trigger trigger();

    /**
     * A scheduled run: the main schedule takes new images; the reconcile schedule ({@code reconcile}) moves a
     * rotation under way on, wave by wave, without reading the parameters.
     */
    record ScheduledRefresh(String eventId, boolean reconcile) implements RotationRequest {
        @Override
        public Trigger trigger() {
            return reconcile ? Trigger.RECONCILE : Trigger.SCHEDULE;
        }
    }

    /**
     * {@code Deckhand AMI Refresh Requested}: a run now.
     *
     * @param requestedBy       who asks, or null
     * @param reason            why, or null
     * @param launchTemplateIds only these managed templates; empty: every one
     */
    record RefreshRequested(String eventId, String requestedBy, String reason, List<String> launchTemplateIds) implements RotationRequest {
        @Override
        public Trigger trigger() {
            return Trigger.REQUESTED;
        }
    }

    /**
     * An SSM parameter changed ({@code Parameter Store Change}): a run for the templates that track it.
     *
     * @param operation {@code Create}, {@code Update}, {@code Delete} or {@code LabelParameterVersion}
     * @param exception why Parameter Store did not apply the operation, or null when it did
     */
    record ParameterChanged(String eventId, String parameter, String operation, String exception) implements RotationRequest {

        /** The operations that give a parameter a (new) value; template.yaml's rule routes only these. */
        static final Set<String> CHANGES_VALUE = Set.of("Create", "Update");

        @Override
        public Trigger trigger() {
            return Trigger.PARAMETER_CHANGED;
        }

        /** Why this change gives the parameter no new value, or null when it does. */
        public String noNewValue() {
            if (!CHANGES_VALUE.contains(operation)) {
                return "operation " + operation + " gives it no new value";
            }
            if (exception != null) {
                return "Parameter Store did not apply the " + operation + ": " + EventParser.abbreviate(exception);
            }
            return null;
        }
    }

    /**
     * An Image Builder image changed state: in state {@link #AVAILABLE}, a run for the templates whose
     * parameter names one of its AMIs.
     *
     * @param imageBuilderArn the image build version (arn:aws:imagebuilder:REGION:ACCOUNT:image/NAME/X.Y.Z/BUILD)
     */
    record ImageAvailable(String eventId, String imageBuilderArn, String status) implements RotationRequest {

        public static final String AVAILABLE = "AVAILABLE";

        @Override
        public Trigger trigger() {
            return Trigger.IMAGE_AVAILABLE;
        }

        public boolean available() {
            return AVAILABLE.equals(status);
        }
    }

    /**
     * A launch of {@code owner} failed (an Auto Scaling group's {@code EC2 Instance Launch Unsuccessful}, a fleet's
     * error). Only a cause a person must fix, and that On-Demand would not cure, stops a canary: a shortage of Spot
     * capacity says nothing about the new image.
     *
     * @param message AWS's status message (a fleet's: sub-type and description), or null
     */
    record LaunchFailed(String eventId, Owner owner, LaunchFailure.Cause cause, String message) implements RotationRequest {

        @Override
        public Trigger trigger() {
            return Trigger.LAUNCH_FAILED;
        }

        /** A cause that says the launched version itself is wrong (not capacity, not a Spot quota). */
        public boolean stopsACanary() {
            return cause.needsPerson() && !cause.holdable();
        }
    }
}
