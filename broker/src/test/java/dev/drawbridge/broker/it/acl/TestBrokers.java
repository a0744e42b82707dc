package dev.drawbridge.broker.it.acl;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import dev.drawbridge.acl.passwordfile.HashKind;
import dev.drawbridge.acl.passwordfile.PasswordHash;
import dev.drawbridge.broker.Drawbridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Brokers started from a {@code mosquitto.conf} written to a temporary folder, and HiveMQ clients for them. */
final class TestBrokers {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestBrokers() {}

    /** Writes {@code mosquitto.conf} ({@code listener 0 127.0.0.1} first, then the lines) and starts it. */
    static Drawbridge start(Path dir, String... lines) {
        List<String> conf = new ArrayList<>(List.of("listener 0 127.0.0.1"));
        conf.addAll(List.of(lines));
        try {
            Path file = Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
            return Drawbridge.start(file);
        } catch (Exception e) {
            throw new AssertionError("broker did not start: " + e.getMessage(), e);
        }
    }

    /** Copies an oracle file into the folder and returns its path. */
    static Path copyOracle(Path dir, String name) {
        return write(dir.resolve(name), Oracle.bytes(name));
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A password file with fresh {@code $7$} hashes, as {@code mosquitto_passwd -b} writes it. */
    static Path passwordFile(Path file, Map<String, String> users) {
        StringBuilder text = new StringBuilder();
        users.forEach((user, password) -> text.append(user)
                .append(':')
                .append(PasswordHash.create(
                                HashKind.SHA512_PBKDF2,
                                PasswordHash.DEFAULT_ITERATIONS,
                                password.getBytes(StandardCharsets.UTF_8),
                                RANDOM)
                        .encode())
                .append('\n'));
        return write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Mqtt3BlockingClient hivemq(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /**
     * Connects a HiveMQ MQTT 3.1.1 client and returns the CONNACK return code (0 when accepted; the client stays
     * connected then).
     */
    static int login(Mqtt3BlockingClient client, Optional<String> user, Optional<byte[]> password) {
        Mqtt3ConnectBuilder.Send<Mqtt3ConnAck> connect = client.connectWith().cleanSession(true);
        if (user.isPresent()) {
            var auth = Mqtt3SimpleAuth.builder().username(user.get());
            connect = connect.simpleAuth(
                    password.isPresent() ? auth.password(password.get()).build() : auth.build());
        }
        try {
            return connect.send().getReturnCode().getCode();
        } catch (Mqtt3ConnAckException e) {
            return e.getMqttMessage().getReturnCode().getCode();
        }
    }

    /** A HiveMQ client logged in with the user's password; fails the test when refused. */
    static Mqtt3BlockingClient connectedHivemq(int port, String clientId, String user, String password) {
        Mqtt3BlockingClient client = hivemq(port, clientId);
        int rc = login(client, Optional.of(user), Optional.of(password.getBytes(StandardCharsets.UTF_8)));
        if (rc != 0) {
            throw new AssertionError(clientId + " (user " + user + ") was refused with CONNACK " + rc);
        }
        return client;
    }
}
