package dev.deckhand.drain.executor;

import dev.deckhand.drain.planner.MaintenanceStatus;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;

/**
 * Reads an instance's state and scheduled events: one DescribeInstanceStatus, every instance state
 * included (by default EC2 describes running instances only; API Reference, DescribeInstanceStatus).
 *
 * <pre>{@code
 * MaintenanceStatus status = reader.read("i-1234567890abcdef0");   // state null: EC2 no longer knows it
 * }</pre>
 */
final class InstanceStatusReader {

    private final Ec2Client ec2;

    InstanceStatusReader(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    MaintenanceStatus read(String instanceId) {
        List<InstanceStatus> statuses;
        try {
            statuses = ec2.describeInstanceStatus(r -> r.instanceIds(instanceId).includeAllInstances(true)).instanceStatuses();
        } catch (Ec2Exception e) {
            if ("InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return new MaintenanceStatus(null, List.of());
            }
            throw e;
        }
        if (statuses.isEmpty()) {
            return new MaintenanceStatus(null, List.of());
        }
        InstanceStatus status = statuses.get(0);
        return new MaintenanceStatus(status.instanceState() == null ? null : status.instanceState().nameAsString(),
                status.events().stream().map(e -> new MaintenanceStatus.Event(e.codeAsString(), e.description(), e.notBefore())).toList());
    }
}
