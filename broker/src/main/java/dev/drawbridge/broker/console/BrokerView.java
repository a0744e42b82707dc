package dev.drawbridge.broker.console;

import dev.drawbridge.broker.engine.Engine;
import dev.drawbridge.broker.engine.session.SessionSnapshot;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.ConnectedClient;
import dev.drawbridge.broker.sys.BrokerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What the console reads of the running broker: the {@code $SYS} figures, the engine's sessions and the logins of the
 * connected clients, each through its public read API.
 *
 * @param storeDirectory where the engine keeps its store, when it persists
 * @param listenerPorts the port each MQTT listener is bound to, by the name the rules know it by (its configured port):
 *     a listener asked for port 0 shows the port it got, as the user sees it in the log and connects to
 */
public record BrokerView(
        BrokerStats stats,
        Engine engine,
        BrokerSecurity security,
        String version,
        Instant startedAt,
        Optional<Path> storeDirectory,
        Map<String, String> listenerPorts) {

    public BrokerView {
        listenerPorts = Map.copyOf(listenerPorts);
    }

    /** The figures of the overview, at one moment. */
    record Figures(
            Instant at,
            Duration uptime,
            long clientsConnected,
            long sessions,
            long subscriptions,
            long retained,
            long messagesReceived,
            long messagesSent,
            long dropped,
            OptionalLong storeBytes) {}

    /**
     * One row of the client list: a connected client's login joined with its session.
     *
     * @param name the username, else the client certificate's subject, else empty
     */
    record ClientRow(
            String clientId,
            String name,
            String address,
            String listener,
            int protocolLevel,
            Optional<Instant> connectedSince,
            int subscriptions,
            int queued) {

        boolean matches(String query) {
            String q = query.toLowerCase(Locale.ROOT);
            return clientId.toLowerCase(Locale.ROOT).contains(q)
                    || name.toLowerCase(Locale.ROOT).contains(q)
                    || address.toLowerCase(Locale.ROOT).contains(q);
        }

        String protocol() {
            return switch (protocolLevel) {
                case 3 -> "3.1";
                case 4 -> "3.1.1";
                case 5 -> "5.0";
                default -> Integer.toString(protocolLevel);
            };
        }
    }

    Figures figures() {
        Instant now = Instant.now();
        return new Figures(
                now,
                Duration.between(startedAt, now),
                stats.connected(),
                engine.sessionCount(),
                engine.subscriptionCount(),
                engine.retainedCount(),
                stats.publishReceived(),
                stats.publishSent(),
                engine.droppedCount(),
                storeBytes());
    }

    /** The connected clients, by client id, those matching {@code query} if it is not empty. */
    List<ClientRow> clients(String query) {
        Map<String, ConnectedClient> logins = security.connectedClients();
        List<ClientRow> rows = new ArrayList<>();
        for (SessionSnapshot session : engine.sessions()) {
            ConnectedClient login = logins.get(session.clientId());
            if (login == null || !session.connected()) {
                continue;
            }
            ClientRow row = new ClientRow(
                    session.clientId(),
                    login.username().or(login::certificateSubject).orElse(""),
                    login.remoteAddress(),
                    listenerPorts.getOrDefault(login.listener(), login.listener()),
                    login.protocolLevel(),
                    session.connectedSince(),
                    session.subscriptions(),
                    session.queued());
            if (query.isEmpty() || row.matches(query)) {
                rows.add(row);
            }
        }
        return rows;
    }

    private OptionalLong storeBytes() {
        if (storeDirectory.isEmpty()) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.list(storeDirectory.get())) {
            return OptionalLong.of(files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
