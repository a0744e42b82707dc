package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.bridge.BridgeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code connection NAME} and the bridge options that follow it. As in Mosquitto 2.0, a bridge option applies to the
 * most recent {@code connection} line of the same file, wherever listener or general options stand between them; in a
 * file read by {@code include_dir}, only to a {@code connection} of that file.
 */
final class BridgeOptions {

    /** Every bridge option Drawbridge reads; Mosquitto's other {@code bridge_*} options stay refused. */
    static final Set<String> OPTIONS = Set.of(
            "address",
            "addresses",
            "topic",
            "remote_clientid",
            "clientid",
            "local_clientid",
            "remote_username",
            "username",
            "remote_password",
            "password",
            "local_username",
            "local_password",
            "cleansession",
            "local_cleansession",
            "try_private",
            "notifications",
            "notifications_local_only",
            "notification_topic",
            "keepalive_interval",
            "restart_timeout",
            "idle_timeout",
            "threshold",
            "round_robin",
            "start_type",
            "bridge_protocol_version",
            "bridge_cafile",
            "bridge_capath",
            "bridge_certfile",
            "bridge_keyfile",
            "bridge_insecure",
            "bridge_tls_version",
            "bridge_alpn");

    private final Diagnostics d;
    private final List<BridgeDraft> bridges = new ArrayList<>();
    private @Nullable BridgeDraft current;

    BridgeOptions(Diagnostics d) {
        this.d = d;
    }

    /** Applies {@code connection} or a bridge option; false if the line is neither. */
    boolean apply(ConfigLine line) {
        String option = line.option();
        if (!option.equals("connection") && !OPTIONS.contains(option)) {
            return false;
        }
        if (option.equals("connection")) {
            connection(line);
        } else if (current == null) {
            d.error(line, option + ": a bridge option must follow a 'connection NAME' line in the same file");
        } else {
            current.apply(line, d);
        }
        return true;
    }

    private void connection(ConfigLine line) {
        List<String> words = line.words();
        if (words.isEmpty() || (words.size() > 1 && !words.get(1).startsWith("#"))) {
            d.error(line, "connection: expected a bridge name without spaces, found " + line.found());
            current = BridgeDraft.broken(line);
            return;
        }
        String name = words.get(0);
        for (BridgeDraft other : bridges) {
            if (other.name.equals(name)) {
                d.error(line, "connection: bridge name '" + name + "' is already used at " + other.where);
                current = BridgeDraft.broken(line);
                return;
            }
        }
        current = new BridgeDraft(name, line.where());
        bridges.add(current);
    }

    /** Called before the lines of an included file: its bridge options need its own {@code connection} line. */
    @Nullable
    BridgeDraft enterFile() {
        BridgeDraft outer = current;
        current = null;
        return outer;
    }

    /** Called after the lines of an included file, with what {@link #enterFile()} returned. */
    void leaveFile(@Nullable BridgeDraft outer) {
        current = outer;
    }

    /** The checks that need every bridge read: each complete, local client ids unique. */
    void validate() {
        Map<String, BridgeDraft> localIds = new HashMap<>();
        for (BridgeDraft bridge : bridges) {
            bridge.validate(d);
            // Mosquitto's defaults start with the host name; any host name gives the same answer for these.
            String localId = bridge.localClientId("HOSTNAME");
            BridgeDraft first = localIds.putIfAbsent(localId, bridge);
            if (first != null) {
                d.error(bridge.where + ": connection " + bridge.name + ": local client id '" + localId
                        + "' is also that of connection " + first.name + " at " + first.where
                        + "; set local_clientid for one of them");
            }
        }
    }

    /** Only called when no problem was found. */
    List<BridgeConfig> build() {
        return bridges.stream().map(BridgeDraft::build).toList();
    }
}
