package dev.deckhand.rotate.handler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.imagebuilder} / {@code EC2 Image Builder Image State Change} (EC2 Image
 * Builder User Guide, "Amazon EventBridge integration in Image Builder"); the image build version is the
 * event's {@code resources[0]}:
 *
 * <pre>{@code
 * "resources": ["arn:aws:imagebuilder:us-west-2:111122223333:image/cmkencryptedworkflowtest-a1b2c3d4-5678-90ab-cdef-EXAMPLE22222/1.0.0/1"],
 * "detail": {"previous-state": {"status": "TESTING"}, "state": {"status": "AVAILABLE"}}
 * }</pre>
 *
 * The event does not name the AMI; Image Builder tags each output AMI {@code Ec2ImageBuilderArn} = that
 * ARN (Image Builder User Guide, "Tag Image Builder output resources").
 */
record ImageStateChange(State state, @JsonProperty("previous-state") State previousState) {

    private static final Pattern STATUS = Pattern.compile("[A-Z_]{1,32}");
    /**
     * An image build version: arn:PARTITION:imagebuilder:REGION:ACCOUNT:image/NAME/X.Y.Z/BUILD. The name
     * may hold upper case: AWS's own sample names {@code cmkencryptedworkflowtest-...-EXAMPLE22222}, and the
     * ARN is only matched against the Ec2ImageBuilderArn tag, as AWS sends it.
     */
    private static final Pattern BUILD_VERSION_ARN = Pattern.compile(
            "arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\\d{12}:image/[A-Za-z0-9_-]{1,128}/\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}/\\d{1,9}");

    record State(String status) {
    }

    ImageStateChange {
        if (state == null || state.status() == null) {
            throw new BadEventException("event field `detail.state.status` is missing");
        }
        if (!STATUS.matcher(state.status()).matches()) {
            throw new BadEventException("event field `detail.state.status` is not an Image Builder image status");
        }
    }

    /** The image build version the event is about: the one Image Builder ARN of an image in {@code resources}. */
    static String imageArn(EventEnvelope event) {
        List<String> images = event.resources().stream().filter(r -> BUILD_VERSION_ARN.matcher(r).matches()).toList();
        if (images.size() != 1) {
            throw new BadEventException("event field `resources` must hold one Image Builder image build version ARN "
                    + "(arn:aws:imagebuilder:REGION:ACCOUNT:image/NAME/X.Y.Z/BUILD), found " + images.size());
        }
        return images.get(0);
    }
}
