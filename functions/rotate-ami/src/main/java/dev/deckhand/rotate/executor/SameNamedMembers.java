package dev.deckhand.rotate.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Copies what AWS described into the request that gives it back, member by member, by the members'
 * names: EC2 describes a fleet's overrides as {@code FleetLaunchTemplateOverrides} (with
 * {@code InstanceRequirements}, {@code PlacementResponse}, ...) and ModifyFleet takes
 * {@code FleetLaunchTemplateOverridesRequest} ({@code InstanceRequirementsRequest}, {@code Placement}, ...),
 * which replace the fleet's. Copying by name keeps every member both shapes have, including those added
 * to the API after this code was written, so that a repin never drops what a person configured.
 *
 * <pre>{@code
 * FleetLaunchTemplateOverridesRequest request = SameNamedMembers.copy(described, FleetLaunchTemplateOverridesRequest.builder());
 * }</pre>
 */
final class SameNamedMembers {

    private SameNamedMembers() {
    }

    /** {@code to}, built, with every member of {@code from} that it has by the same name. */
    @SuppressWarnings("unchecked")
    static <T> T copy(SdkPojo from, SdkBuilder<?, T> to) {
        fill(from, (SdkPojo) to);
        return to.build();
    }

    private static void fill(SdkPojo from, SdkPojo to) {
        Map<String, SdkField<?>> source = from.sdkFieldNameToField();
        for (SdkField<?> field : to.sdkFields()) {
            SdkField<?> given = source.get(field.memberName());
            Object value = given == null ? null : given.getValueOrDefault(from);
            if (value != null) {
                field.set(to, convert(value, field));
            }
        }
    }

    private static Object convert(Object value, SdkField<?> field) {
        if (field.marshallingType() == MarshallingType.SDK_POJO && value instanceof SdkPojo pojo) {
            SdkPojo builder = field.constructor().get();
            fill(pojo, builder);
            return ((SdkBuilder<?, ?>) builder).build();
        }
        if (field.marshallingType() == MarshallingType.LIST && value instanceof List<?> list) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> converted = new ArrayList<>();
            list.forEach(element -> converted.add(convert(element, member)));
            return converted;
        }
        return value;
    }
}
