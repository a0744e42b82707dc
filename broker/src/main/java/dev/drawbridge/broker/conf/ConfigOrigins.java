package dev.drawbridge.broker.conf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a configuration's settings were written, so that a reload can name the line of a change it cannot apply.
 *
 * @param file the main file as it was named, for a change no line made
 * @param listenerLines {@code FILE:LINE} of the line that made each listener, in the order of
 *     {@link BrokerConfig#listeners()}; empty in local-only mode
 * @param optionLines {@code FILE:LINE} of the last line that set each option
 */
public record ConfigOrigins(String file, List<String> listenerLines, Map<String, String> optionLines) {

    public static final ConfigOrigins NONE = new ConfigOrigins("mosquitto.conf", List.of(), Map.of());

    public ConfigOrigins {
        listenerLines = List.copyOf(listenerLines);
        optionLines = Map.copyOf(optionLines);
    }

    /** {@code FILE:LINE} of the listener at this position, if a line made it. */
    public Optional<String> listener(int index) {
        return index < listenerLines.size() ? Optional.of(listenerLines.get(index)) : Optional.empty();
    }

    /** {@code FILE:LINE} of the last line that set this option, if one did. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(optionLines.get(name));
    }
}
