package dev.deckhand.local.faults;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How often {@link FaultProxy} injects each fault, as a probability per request, written
 * {@code throttle=0.2,error=0.1,slow=0.05,drop=0.05,lost=0.05}.
 *
 * @param throttle answer as AWS does when throttling (HTTP 400, ThrottlingException / RequestLimitExceeded)
 * @param error    answer 500 InternalFailure or 503 ServiceUnavailable
 * @param slow     forward, but only after {@link FaultProxy#SLOW}
 * @param drop     close the connection without forwarding
 * @param lost     forward (AWS acts), then close the connection without the answer
 */
public record FaultRates(double throttle, double error, double slow, double drop, double lost) {

    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0);

    public FaultRates {
        double total = throttle + error + slow + drop + lost;
        if (throttle < 0 || error < 0 || slow < 0 || drop < 0 || lost < 0 || total > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fault rates must be between 0 and 1 and add up to at most 1, got " + this);
        }
    }

    public static FaultRates parse(String spec) {
        Map<String, Double> rates = new LinkedHashMap<>(Map.of("throttle", 0.0, "error", 0.0, "slow", 0.0, "drop", 0.0, "lost", 0.0));
        for (String part : spec.split(",")) {
            String[] pair = part.trim().split("=");
            String key = pair[0].toLowerCase(Locale.ROOT);
            if (pair.length != 2 || !rates.containsKey(key)) {
                throw new IllegalArgumentException("--faults takes throttle=R,error=R,slow=R,drop=R,lost=R; got '" + part + "'");
            }
            try {
                rates.put(key, Double.parseDouble(pair[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault rate for " + key + " is not a number: " + pair[1]);
            }
        }
        return new FaultRates(rates.get("throttle"), rates.get("error"), rates.get("slow"), rates.get("drop"), rates.get("lost"));
    }
}
