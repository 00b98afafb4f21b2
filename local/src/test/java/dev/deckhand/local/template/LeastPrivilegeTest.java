package dev.deckhand.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads the IAM statements CloudFormation deploys (each role's inline policies after the SAM
 * transform, {@link SamTransformOutput}: what SAM adds, and the template's role policies) and fails when
 * a mutating action, or a read of secrets, is allowed on {@code Resource: "*"} (or a resource that is
 * "*" in every segment) without a Condition that scopes it. Read-only list/describe/get actions may
 * use "*": many have no resource-level permissions.
 */
@Tag("template")
class LeastPrivilegeTest {

    private static final Map<String, Object> RESOURCES = SamTransformOutput.resources();
    private static final List<String> READ_ONLY_VERBS = List.of("List", "Describe", "Get", "BatchGet", "Search", "Lookup", "Check");
    /** Reads that hand out secrets: as guarded as writes. */
    private static final Set<String> SECRET_READS = Set.of("ssm:getparameter", "ssm:getparameters", "ssm:getparametersbypath",
            "secretsmanager:getsecretvalue", "kms:decrypt");
    /** AWS-managed policies a function's role may have as a whole. */
    private static final Set<String> ALLOWED_MANAGED = Set.of(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");

    record Grant(String where, String action, Object resource, boolean conditioned) {
    }

    @Test
    void noMutatingActionOrSecretRead_isGrantedOnEverythingWithoutACondition() {
        List<String> violations = new ArrayList<>();
        for (Grant grant : grants()) {
            if (!grant.conditioned() && unscoped(grant.resource()) && (mutating(grant.action()) || secretRead(grant.action()))) {
                violations.add(grant.where() + ": " + grant.action() + " on " + grant.resource());
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * A function's own statements are an AWS::IAM::RolePolicy on the role SAM makes (the template's
     * permissions section), and the function depends on it: CloudFormation creates the function, and so
     * its rules and queue mapping, only once its role may make its calls (CreateEventSourceMapping checks
     * that the role may receive from the queue).
     */
    @Test
    void everyFunctionsRole_hasItsOwnStatements_beforeTheFunction_andOnlyAllowedManagedPolicies() {
        List<String> functions = new ArrayList<>();
        RESOURCES.forEach((id, resource) -> {
            Map<String, Object> spec = map(resource);
            if (!"AWS::Lambda::Function".equals(spec.get("Type"))) {
                return;
            }
            functions.add(id);
            String roleId = SamTransformOutput.target(map(spec.get("Properties")).get("Role"));
            Map<String, Object> role = map(map(RESOURCES.get(roleId)).get("Properties"));
            List<String> allows = new ArrayList<>();
            RESOURCES.forEach((policyId, policy) -> {
                Map<String, Object> properties = map(map(policy).get("Properties"));
                if ("AWS::IAM::RolePolicy".equals(map(policy).get("Type")) && roleId.equals(SamTransformOutput.target(properties.get("RoleName")))
                        && list(map(properties.get("PolicyDocument")).get("Statement")).stream().anyMatch(s -> "Allow".equals(map(s).get("Effect")))) {
                    allows.add(policyId);
                }
            });
            assertEquals(1, allows.size(), id + "'s role " + roleId + ": role policies that allow " + allows);
            assertTrue(list(spec.get("DependsOn")).containsAll(allows), id + " does not wait for its role's statements " + allows);
            // Not AWSLambdaSQSQueueExecutionRole either, which SAM attaches for an SQS event and which
            // receives and deletes on every queue: the recheck queue's mapping is written out in the template.
            for (Object managed : list(role.get("ManagedPolicyArns"))) {
                assertTrue(ALLOWED_MANAGED.contains(managed), id + " attaches managed policy " + managed);
            }
        });
        assertEquals(5, functions.size(), "functions: " + functions);
    }

    @Test
    void theCheckItself_flagsWhatItShould() {
        assertTrue(mutating("ecs:UpdateContainerInstancesState"));
        assertTrue(mutating("autoscaling:CompleteLifecycleAction"));
        assertTrue(!mutating("ecs:ListClusters") && !mutating("ecs:DescribeTasks"));
        assertTrue(secretRead("ssm:GetParameter"));
        assertTrue(unscoped("*") && unscoped(Map.of("Fn::Sub", "arn:${AWS::Partition}:*:*:*:*")));
        assertTrue(!unscoped(Map.of("Fn::Sub", "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/*")));
        assertTrue(unscoped(List.of("arn:aws:ecs:us-east-2:123456789012:cluster/web", "*")));
    }

    private static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        RESOURCES.forEach((id, resource) -> {
            Map<String, Object> spec = map(resource);
            Map<String, Object> properties = map(spec.get("Properties"));
            switch (String.valueOf(spec.get("Type"))) {
                case "AWS::IAM::Role" -> {
                    for (Object policy : list(properties.get("Policies"))) {
                        statements(id, map(map(policy).get("PolicyDocument")), grants);
                    }
                }
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy" -> statements(id, map(properties.get("PolicyDocument")), grants);
                default -> {
                }
            }
        });
        return grants;
    }

    private static void statements(String where, Map<String, Object> document, List<Grant> grants) {
        List<Object> items = new ArrayList<>(list(document.get("Statement")));
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> statement = map(items.get(i));
            if (statement.containsKey("Fn::If")) {   // a statement present under a condition: check both branches
                List<?> branches = list(statement.get("Fn::If"));
                items.add(branches.get(1));
                items.add(branches.get(2));
                continue;
            }
            if (!"Allow".equals(statement.get("Effect"))) {
                continue;
            }
            boolean conditioned = !map(statement.get("Condition")).isEmpty();
            Object resource = statement.get("Resource");
            for (Object action : list(statement.get("Action"))) {
                grants.add(new Grant(where + "/" + statement.getOrDefault("Sid", "?"), String.valueOf(action), resource, conditioned));
            }
        }
    }

    static boolean mutating(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        if (verb.equals("*")) {
            return true;
        }
        return READ_ONLY_VERBS.stream().noneMatch(verb::startsWith);
    }

    static boolean secretRead(String action) {
        return SECRET_READS.contains(action.toLowerCase(Locale.ROOT));
    }

    /** True when any value {@code resource} can take (through Fn::If, Fn::Sub, lists) is all-wildcard. */
    static boolean unscoped(Object resource) {
        if (resource == null) {
            return true;
        }
        if (resource instanceof String text) {
            return text.equals("*") || text.matches("arn:[^:]*:\\*:\\*:\\*:\\*") || text.matches("arn:\\$\\{AWS::Partition}:\\*:\\*:\\*:\\*");
        }
        if (resource instanceof List<?> items) {
            return items.stream().anyMatch(LeastPrivilegeTest::unscoped);
        }
        Map<String, Object> intrinsic = map(resource);
        if (intrinsic.containsKey("Fn::If")) {
            List<?> branches = list(intrinsic.get("Fn::If"));
            return unscoped(branches.get(1)) || unscoped(branches.get(2));
        }
        if (intrinsic.containsKey("Fn::Sub")) {
            Object template = intrinsic.get("Fn::Sub");
            return unscoped(template instanceof List<?> l ? l.get(0) : template);
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }
}
