package dev.deckhand.local.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML: short-form intrinsics ({@code !Ref X}, {@code !Sub ...},
 * {@code !If [...]}) become their long form ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}).
 */
final class CfnYaml {

    private static final List<String> FUNCTIONS = List.of("Sub", "GetAtt", "Join", "If", "Split", "Equals", "Not",
            "And", "Or", "Select", "FindInMap", "Base64", "Cidr", "ImportValue", "GetAZs", "Condition", "ToJsonString",
            "Length");

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text) {
        Object loaded = new Yaml(new Constructor()).load(text);
        if (!(loaded instanceof Map)) {
            throw new IllegalArgumentException("template.yaml is not a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    private static final class Constructor extends SafeConstructor {

        Constructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic(function.equals("Condition") ? "Condition" : "Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                    if (key.equals("Fn::GetAtt")) {
                        value = List.of(((String) value).split("\\.", 2));
                    }
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(key, value);
                return intrinsic;
            }
        }
    }
}
