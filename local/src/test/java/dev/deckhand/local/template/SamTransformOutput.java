package dev.deckhand.local.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.emulator.DeckhandHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * template.yaml as CloudFormation deploys it: after AWS::LanguageExtensions and the SAM transform
 * ({@code local/iam/deployed_policies.py --transformed}, the IAM test's own translation), intrinsics
 * unresolved. Tests that check what is deployed (roles, alarms, the dashboard) read this rather than
 * the template as written. Made once per test JVM.
 */
final class SamTransformOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Object> resources;

    private SamTransformOutput() {
    }

    static synchronized Map<String, Object> resources() {
        if (resources == null) {
            resources = map(translate().get("Resources"));
        }
        return resources;
    }

    private static Map<String, Object> translate() {
        if ("fast".equals(System.getProperty("deckhand.tier"))) {
            throw new IllegalStateException("the fast test tier runs no Python (the SAM transform): tag this test class @Tag(\"template\")");
        }
        Path home = DeckhandHome.find();
        String python = System.getenv().getOrDefault("DECKHAND_PYTHON", "python3");
        try {
            Process process = new ProcessBuilder(python, home.resolve("local/iam/deployed_policies.py").toString(),
                    "--transformed", home.resolve("template.yaml").toString(), "us-east-2")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("deployed_policies.py --transformed failed (its error is above)");
            }
            return JSON.readValue(out, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, attribute]}} names, or null. */
    static String target(Object reference) {
        Map<String, Object> intrinsic = map(reference);
        if (intrinsic.get("Ref") instanceof String id) {
            return id;
        }
        List<?> getAtt = list(intrinsic.get("Fn::GetAtt"));
        return getAtt.isEmpty() ? null : String.valueOf(getAtt.get(0));
    }
}
