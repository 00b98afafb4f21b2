package dev.deckhand.rotate.handler;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventParser;
import dev.deckhand.rotate.RotateConfig;
import java.util.regex.Pattern;

/**
 * The detail of {@code aws.ssm} / {@code Parameter Store Change} (Systems Manager User Guide, "Amazon
 * EventBridge event examples for Systems Manager", Parameter Store events); the parameter's ARN is the
 * event's {@code resources[0]}:
 *
 * <pre>{@code
 * "resources": ["arn:aws:ssm:us-east-2:123456789012:parameter/MyExampleParameter"],
 * "detail": {"operation": "Update", "name": "MyExampleParameter", "type": "String", "description": "Sample Parameter"}
 * }</pre>
 *
 * A parameter of data type {@code aws:ec2:image} is validated after PutParameter returns; its event
 * says whether that worked, and names the failure in {@code exception} when it did not (Systems Manager
 * User Guide, "Native parameter support for Amazon Machine Image IDs"): such a change changed nothing.
 *
 * @param operation {@code Create}, {@code Update}, {@code Delete} or {@code LabelParameterVersion}
 * @param name      the parameter's name as it was created: {@code /golden-ami/ecs} or {@code golden-ami}
 * @param exception why Parameter Store did not apply the operation (absent when it did)
 */
record ParameterStoreChange(String operation, String name, String type, String dataType, String exception) {

    private static final Pattern OPERATION = Pattern.compile("[A-Za-z]{1,64}");

    ParameterStoreChange {
        if (operation == null) {
            throw new BadEventException("event field `detail.operation` is missing");
        }
        if (!OPERATION.matcher(operation).matches()) {
            throw new BadEventException("event field `detail.operation` is not a Parameter Store operation: " + EventParser.abbreviate(operation));
        }
        if (name == null) {
            throw new BadEventException("event field `detail.name` is missing");
        }
        if (!RotateConfig.PARAMETER_NAME.matcher(name).matches()) {
            throw new BadEventException("event field `detail.name` is not an SSM parameter name (letters, digits and _.-/, up to 1011): "
                    + EventParser.abbreviate(name));
        }
        if (exception != null && exception.length() > 4096) {
            throw new BadEventException("event field `detail.exception` is longer than 4096 characters");
        }
    }
}
