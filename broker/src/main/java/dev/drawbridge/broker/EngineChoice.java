package dev.drawbridge.broker;

import java.util.Locale;
import java.util.Optional;

/**
 * Which MQTT engine a broker runs on while Drawbridge moves from Moquette 0.17 to its own engine: the system property
 * {@code drawbridge.engine}, else the environment variable {@code DRAWBRIDGE_ENGINE} (so that a broker started as a
 * child process by a test or a script inherits the choice), else {@link Kind#MOQUETTE}.
 */
public final class EngineChoice {

    /** The engines a broker can run on. */
    public enum Kind {
        /** Moquette 0.17, embedded; the default until Drawbridge's own engine passes the whole suite. */
        MOQUETTE,
        /** Drawbridge's own engine on Netty ({@code dev.drawbridge.broker.engine}). */
        DRAWBRIDGE
    }

    public static final String PROPERTY = "drawbridge.engine";
    public static final String ENVIRONMENT = "DRAWBRIDGE_ENGINE";

    private EngineChoice() {}

    /** The engine chosen for this process; an unknown name is an error, never a silent default. */
    public static Kind current() {
        Optional<String> named = Optional.ofNullable(System.getProperty(PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT)))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        if (named.isEmpty()) {
            return Kind.MOQUETTE;
        }
        return switch (named.get().toLowerCase(Locale.ROOT)) {
            case "moquette" -> Kind.MOQUETTE;
            case "drawbridge" -> Kind.DRAWBRIDGE;
            default ->
                throw new IllegalArgumentException(PROPERTY + " / " + ENVIRONMENT + ": unknown engine '" + named.get()
                        + "' (expected moquette or drawbridge)");
        };
    }
}
