package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ClientLimits;
import dev.drawbridge.broker.conf.ConfigOrigins;
import dev.drawbridge.broker.conf.ListenerConfig;
import dev.drawbridge.broker.conf.ParsedConfig;
import dev.drawbridge.broker.conf.PersistenceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reread {@code mosquitto.conf} changes in a running broker: the configuration to apply, and the changes that
 * need a restart, each {@code FILE:LINE: ... needs a restart; not applied}. Those keep their running value in
 * {@link #effective()}: a bound socket, the store and the broker-wide timers stay as they started.
 *
 * <p>Listeners are matched by position when their number is unchanged (a changed port or address is then the same
 * listener moved), otherwise by port and address; a running listener with no match keeps all its settings.
 *
 * @param effective the running configuration with every change that can be applied
 * @param needsRestart one message per change that was not applied
 */
record ReloadPlan(BrokerConfig effective, List<String> needsRestart) {

    ReloadPlan {
        needsRestart = List.copyOf(needsRestart);
    }

    /**
     * @param running the configuration in force
     * @param runningOrigins where its settings were written (for a setting the new file no longer has)
     * @param reread the file as read now
     */
    static ReloadPlan of(BrokerConfig running, ConfigOrigins runningOrigins, ParsedConfig reread) {
        BrokerConfig next = reread.config();
        Where where =
                new Where(reread.origins(), runningOrigins, reread.origins().file());
        List<String> notes = new ArrayList<>();
        List<ListenerConfig> listeners = listeners(running.listeners(), next.listeners(), where, notes);

        PersistenceConfig was = running.persistence();
        PersistenceConfig now = next.persistence();
        restartIf(notes, where, "persistence", was.enabled(), now.enabled());
        restartIf(notes, where, "persistence_location", was.location(), now.location());
        restartIf(notes, where, "persistence_file", was.file(), now.file());
        restartIf(
                notes,
                where,
                "persistence_mode",
                was.durable() ? "durable" : "autosave",
                now.durable() ? "durable" : "autosave");
        restartIf(notes, where, "autosave_interval", was.autosaveInterval(), now.autosaveInterval());
        PersistenceConfig persistence = new PersistenceConfig(
                was.enabled(),
                was.location(),
                was.file(),
                was.autosaveInterval(),
                now.clientExpiration(),
                was.durable());

        restartIf(notes, where, "pid_file", running.pidFile(), next.pidFile());
        restartIf(notes, where, "sys_interval", running.sysInterval(), next.sysInterval());
        restartIf(notes, where, "mdns", running.mdns(), next.mdns());
        ClientLimits wasLimits = running.clientLimits();
        ClientLimits nowLimits = next.clientLimits();
        restartIf(
                notes,
                where,
                "max_pending_connections_per_address",
                wasLimits.maxPendingConnectionsPerAddress(),
                nowLimits.maxPendingConnectionsPerAddress());
        restartIf(
                notes,
                where,
                "global_max_connections",
                wasLimits.globalMaxConnections(),
                nowLimits.globalMaxConnections());
        // Read once by the engine's router and retained-message delivery.
        restartIf(
                notes,
                where,
                "upgrade_outgoing_qos",
                running.delivery().upgradeOutgoingQos(),
                next.delivery().upgradeOutgoingQos());
        restartIf(
                notes,
                where,
                "check_retain_source",
                running.delivery().checkRetainSource(),
                next.delivery().checkRetainSource());
        // Mosquitto 2.0 skips every bridge option on a reload too: the running bridges keep their settings.
        if (!next.bridges().equals(running.bridges())) {
            String line = next.bridges().isEmpty()
                    ? where.option("connection")
                    : next.bridges().get(0).where();
            notes.add(line + ": connection: bridges changed: needs a restart; not applied");
        }
        if (!next.consoles().equals(running.consoles())) {
            notes.add(where.option("console_users")
                    + ": console_users: the http_api listeners changed: needs a restart; not applied");
        }
        ClientLimits limits = new ClientLimits(
                nowLimits.maxClientIdLength(),
                nowLimits.maxTopicLength(),
                nowLimits.maxTopicLevels(),
                nowLimits.maxQueuedBytes(),
                wasLimits.maxPendingConnectionsPerAddress(),
                wasLimits.globalMaxConnections());

        BrokerConfig effective = new BrokerConfig(
                listeners,
                running.localOnly(),
                next.allowZeroLengthClientId(),
                next.maxPacketSize(),
                next.messageSizeLimit(),
                next.maxInflightMessages(),
                next.maxQueuedMessages(),
                next.maxKeepalive(),
                next.retainAvailable(),
                persistence,
                next.log(),
                running.pidFile(),
                running.sysInterval(),
                running.mdns(),
                limits,
                running.delivery(),
                running.bridges(),
                running.consoles(),
                next.warnings());
        return new ReloadPlan(effective, notes);
    }

    private static List<ListenerConfig> listeners(
            List<ListenerConfig> running, List<ListenerConfig> next, Where where, List<String> notes) {
        List<ListenerConfig> effective = new ArrayList<>();
        if (running.size() == next.size()) {
            for (int i = 0; i < running.size(); i++) {
                effective.add(keepBinding(running.get(i), next.get(i), where.listener(i), notes));
            }
            return effective;
        }
        List<Integer> matched = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            ListenerConfig old = running.get(i);
            int match = -1;
            for (int j = 0; j < next.size() && match < 0; j++) {
                if (next.get(j).port() == old.port()
                        && next.get(j).bindAddress().equals(old.bindAddress())) {
                    match = j;
                }
            }
            if (match < 0) {
                notes.add(where.runningListener(i) + ": listener " + old.describe()
                        + " removed: needs a restart; not applied, it keeps serving with its settings");
                effective.add(old);
            } else {
                matched.add(match);
                effective.add(keepBinding(old, next.get(match), where.listener(match), notes));
            }
        }
        for (int j = 0; j < next.size(); j++) {
            if (!matched.contains(j)) {
                notes.add(where.listener(j) + ": listener " + next.get(j).describe()
                        + " added: needs a restart; not applied");
            }
        }
        return effective;
    }

    /** The new settings of a listener on the running one's socket; a change to the socket itself is noted. */
    private static ListenerConfig keepBinding(ListenerConfig old, ListenerConfig now, String line, List<String> notes) {
        String name = "listener " + old.describe();
        restartAt(notes, line, name, "port", old.port(), now.port());
        restartAt(
                notes,
                line,
                name,
                "address",
                old.bindAddress().orElse("every address"),
                now.bindAddress().orElse("every address"));
        restartAt(notes, line, name, "socket_domain", old.socketDomain(), now.socketDomain());
        restartAt(notes, line, name, "protocol", old.protocol(), now.protocol());
        // TLS files reload; turning TLS on or off would change what the socket speaks.
        restartAt(
                notes,
                line,
                name,
                "TLS (certfile/keyfile)",
                old.tls().isPresent() ? "on" : "off",
                now.tls().isPresent() ? "on" : "off");
        return new ListenerConfig(
                old.port(),
                old.bindAddress(),
                old.socketDomain(),
                old.protocol(),
                now.maxConnections(),
                old.tls().isPresent() == now.tls().isPresent() ? now.tls() : old.tls(),
                now.security(),
                now.admission());
    }

    private static void restartAt(
            List<String> notes, String line, String listener, String what, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            notes.add(line + ": " + listener + ": " + what + " " + now + " (was " + was
                    + ") needs a restart; not applied, the listener keeps serving as it was");
        }
    }

    private static void restartIf(List<String> notes, Where where, String option, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            notes.add(where.option(option) + ": " + option + " " + show(now) + " (was " + show(was)
                    + ") needs a restart; not applied");
        }
    }

    private static String show(Object value) {
        if (value instanceof Optional<?> o) {
            return o.map(ReloadPlan::show).orElse("unset");
        }
        // Durations as the file writes them: seconds.
        return value instanceof Duration d ? Long.toString(d.toSeconds()) : String.valueOf(value);
    }

    /** Finds the line to name: in the new file, else in the running one's, else the file itself. */
    private record Where(ConfigOrigins reread, ConfigOrigins running, String file) {

        String listener(int index) {
            return reread.listener(index).orElse(file);
        }

        /** A listener the new file no longer has: the line of the file it was read from. */
        String runningListener(int index) {
            return running.listener(index).orElse(file);
        }

        String option(String name) {
            return reread.option(name).or(() -> running.option(name)).orElse(file);
        }
    }
}
