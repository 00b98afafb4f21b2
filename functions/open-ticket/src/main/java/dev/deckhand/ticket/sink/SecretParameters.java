package dev.deckhand.ticket.sink;

import dev.deckhand.core.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Reads the sinks' tokens and the webhook URL from SSM SecureString parameters, once per
 * container (the handler's constructor): {@code GetParameter} with decryption, one call each, and
 * refuses a parameter that is not a SecureString (a plain String would hold a secret unencrypted).
 */
public final class SecretParameters {

    private SecretParameters() {
    }

    public static Map<String, Secret> read(SsmClient ssm, List<String> names) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String name : names) {
            var parameter = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter();
            if (parameter.type() != ParameterType.SECURE_STRING) {
                throw new ConfigException("SSM parameter " + name + " must be a SecureString, it is a "
                        + parameter.typeAsString());
            }
            secrets.put(name, new Secret(parameter.value()));
        }
        return secrets;
    }
}
