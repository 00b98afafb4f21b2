package dev.deckhand.core.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * Writes one JSON object per line to standard output, which Lambda sends to CloudWatch Logs:
 * {@code {"time":...,"level":"INFO","logger":"...","message":"...","eventId":...,...}}. Key-values
 * from SLF4J's fluent API and the MDC become fields.
 */
final class JsonLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;
    private final transient int threshold;

    JsonLogger(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold.toInt();
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        write(level, MessageFormatter.basicArrayFormat(pattern, arguments), List.of(), throwable);
    }

    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        Object[] arguments = event.getArgumentArray();
        String message = arguments == null ? event.getMessage() : MessageFormatter.basicArrayFormat(event.getMessage(), arguments);
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        write(event.getLevel(), message, pairs, event.getThrowable());
    }

    private void write(Level level, String message, List<KeyValuePair> pairs, Throwable throwable) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"time\":\"").append(Instant.now()).append("\",\"level\":\"").append(level).append("\",\"logger\":");
        Json.string(line, name.substring(name.lastIndexOf('.') + 1));
        line.append(",\"message\":");
        Json.string(line, message == null ? "" : message);
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context != null) {
            context.forEach((key, value) -> field(line, key, value));
        }
        for (KeyValuePair pair : pairs) {
            field(line, pair.key, pair.value);
        }
        if (throwable != null) {
            field(line, "error", throwable.getClass().getSimpleName() + ": " + throwable.getMessage());
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            field(line, "stackTrace", trace.toString());
        }
        line.append('}');
        System.out.println(line);
    }

    private static void field(StringBuilder line, String key, Object value) {
        line.append(',');
        Json.string(line, key);
        line.append(':');
        Json.value(line, value);
    }
}
