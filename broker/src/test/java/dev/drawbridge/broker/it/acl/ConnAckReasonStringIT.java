package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.Drawbridge;
import dev.drawbridge.broker.it.differential.Frame;
import dev.drawbridge.broker.it.differential.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused MQTT 5 CONNECT gets a reason string in its CONNACK: one fixed text per reason code, the same whether the
 * user exists or not, left out when the client's maximum packet size is too small for it (MQTT-3.2.2-19). An MQTT
 * 3.1.1 refusal is the two bytes it always was. Mosquitto 2.0.11 sends no reason string (README, "Differences").
 */
class ConnAckReasonStringIT {

    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final String RIGHT = "Right-Pass-7310-r";
    private static final String WRONG = "Wrong-Pass-4402-w";
    private static final HexFormat HEX = HexFormat.of();

    /** CONNACK 0x87 with the reason string "not authorized": 2 + 20 bytes. */
    private static final String NOT_AUTHORIZED_WITH_REASON = "2014" // CONNACK, remaining length 20
            + "0087" // session present 0, reason code 0x87 (not authorized)
            + "11" // properties: 17 bytes
            + "1f000e" + HEX.formatHex("not authorized".getBytes(UTF_8)); // reason string

    @TempDir
    Path dir;

    private Drawbridge broker;
    private final List<RawConnection> connections = new ArrayList<>();

    @BeforeEach
    void start() {
        Path passwd = TestBrokers.passwordFile(dir.resolve("passwd"), Map.of("bob", RIGHT));
        broker = TestBrokers.start(dir, "allow_anonymous false", "password_file " + passwd);
    }

    @AfterEach
    void stop() {
        connections.forEach(RawConnection::close);
        broker.close();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameReasonStringAndTheRightPasswordIsAccepted() {
        List<String> wrongPassword = answer(connect5("v5-wrong", "bob", WRONG, -1));
        List<String> unknownUser = answer(connect5("v5-ghost", "ghost", WRONG, -1));
        List<String> rightPassword = answerBeforePing(connect5("v5-right", "bob", RIGHT, -1));

        assertThat(wrongPassword).containsExactly(NOT_AUTHORIZED_WITH_REASON);
        assertThat(unknownUser)
                .as("nothing tells an unknown user from a wrong password")
                .isEqualTo(wrongPassword);
        // CONNACK, remaining length, session present 0, reason code 0x00; then the PINGRESP of the open connection.
        assertThat(rightPassword.get(0)).as("the accepted CONNACK").matches("20..0000.*");
        assertThat(rightPassword.get(1)).isEqualTo("d000");
    }

    @Test
    void theReasonStringIsLeftOutWhereTheClientsMaximumPacketSizeIsTooSmallForIt() {
        // 22 bytes with the reason string, 5 without it (MQTT-3.2.2-19).
        assertThat(answer(connect5("fits", "bob", WRONG, 22))).containsExactly(NOT_AUTHORIZED_WITH_REASON);
        assertThat(answer(connect5("one-short", "bob", WRONG, 21)))
                .containsExactly("2003" + "0087" + "00"); // CONNACK 0x87, no properties
        assertThat(answer(connect5("tiny", "bob", WRONG, 5))).containsExactly("2003" + "0087" + "00");
    }

    @Test
    void anMqtt311RefusalIsUnchangedByteForByte() {
        assertThat(answer(connect311("v311-wrong", "bob", WRONG)))
                .containsExactly("2002" + "0005"); // CONNACK, return code 5 (not authorised), nothing more
        assertThat(answer(connect311("v311-ghost", "ghost", WRONG))).containsExactly("20020005");
    }

    /** What the broker sent before it closed the connection, each packet in hex. */
    private List<String> answer(byte[] connect) {
        RawConnection connection = RawConnection.open(broker.port());
        connections.add(connection);
        connection.send(connect);
        return connection.expectClosed(ANSWER).stream()
                .map(ConnAckReasonStringIT::hex)
                .toList();
    }

    /** The CONNACK of an accepted CONNECT, then the PINGRESP that shows the connection stayed open. */
    private List<String> answerBeforePing(byte[] connect) {
        RawConnection connection = RawConnection.open(broker.port());
        connections.add(connection);
        connection.send(connect);
        String connAck = hex(connection.expect(Frame.CONNACK, ANSWER));
        connection.send(new byte[] {(byte) 0xc0, 0});
        return List.of(connAck, hex(connection.expect(Frame.PINGRESP, ANSWER)));
    }

    private static String hex(Frame frame) {
        byte[] body = frame.body();
        return HEX.formatHex(new byte[] {(byte) frame.first(), (byte) body.length}) + HEX.formatHex(body);
    }

    /** An MQTT 5 CONNECT with user and password; a maximum packet size property unless {@code maximumPacketSize} < 0. */
    private static byte[] connect5(String id, String user, String password, long maximumPacketSize) {
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        if (maximumPacketSize >= 0) {
            properties.write(0x27);
            properties.write((int) (maximumPacketSize >> 24));
            properties.write((int) (maximumPacketSize >> 16));
            properties.write((int) (maximumPacketSize >> 8));
            properties.write((int) maximumPacketSize);
        }
        return Packets.connect5(properties.toByteArray(), id, Optional.of(user), Optional.of(password.getBytes(UTF_8)));
    }

    private static byte[] connect311(String id, String user, String password) {
        return Packets.connect(4, id, Optional.of(user), Optional.of(password.getBytes(UTF_8)), null);
    }
}
