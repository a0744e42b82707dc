package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code log_dest}, {@code log_type}, {@code log_timestamp}, {@code connection_messages}.
 *
 * @param destinations where log lines go; empty means Mosquitto's default (stderr)
 * @param types which kinds of line are written; empty means Mosquitto's default (error, warning, notice,
 *     information)
 */
public record LogConfig(
        List<Destination> destinations, Set<Type> types, boolean timestamp, boolean connectionMessages) {

    public LogConfig {
        destinations = List.copyOf(destinations);
        types = Set.copyOf(types);
    }

    /** The command line's {@code -q}: nothing is logged, whatever the file says. */
    public LogConfig silenced() {
        return new LogConfig(List.of(Destination.of(Destination.Kind.NONE)), types, timestamp, connectionMessages);
    }

    public static LogConfig defaults() {
        return new LogConfig(List.of(), Set.of(), true, true);
    }

    /** A {@code log_dest} line. {@code file} is set only for {@link Kind#FILE}. */
    public record Destination(Kind kind, Path file) {
        public enum Kind {
            STDOUT,
            STDERR,
            FILE,
            NONE
        }

        public static Destination of(Kind kind) {
            return new Destination(kind, Path.of(""));
        }
    }

    /** Mosquitto's {@code log_type} values. */
    public enum Type {
        DEBUG,
        ERROR,
        WARNING,
        NOTICE,
        INFORMATION,
        SUBSCRIBE,
        UNSUBSCRIBE,
        WEBSOCKETS,
        NONE,
        ALL
    }
}
