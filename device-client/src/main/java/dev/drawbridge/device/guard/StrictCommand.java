package dev.drawbridge.device.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.device.door.DoorCommand;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A strict-mode command: {@code {"cmd":"OPEN","ts":1767225600000,"id":"3f1c..."}} with the command, the sender's
 * clock in epoch milliseconds and an id unique per command (a UUID). Anything else is malformed.
 *
 * @param commandText the {@code cmd} text, parsed by {@link DoorCommand#parse}
 * @param timestamp when the sender sent it
 * @param id the sender's unique id, at most 128 characters
 */
record StrictCommand(String commandText, Instant timestamp, String id) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("cmd", "ts", "id");
    private static final int MAX_ID = 128;

    /** The strict command in {@code payload}, or empty when it is not one. */
    static Optional<StrictCommand> parse(String payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                return Optional.empty();
            }
        }
        JsonNode cmd = root.get("cmd");
        JsonNode ts = root.get("ts");
        JsonNode id = root.get("id");
        if (cmd == null || !cmd.isTextual() || ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
            return Optional.empty();
        }
        if (id == null
                || !id.isTextual()
                || id.asText().isBlank()
                || id.asText().length() > MAX_ID) {
            return Optional.empty();
        }
        return Optional.of(new StrictCommand(cmd.asText(), Instant.ofEpochMilli(ts.asLong()), id.asText()));
    }
}
