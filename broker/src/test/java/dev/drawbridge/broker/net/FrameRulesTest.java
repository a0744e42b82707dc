package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.net.FrameRules.Version;
import dev.drawbridge.broker.net.MalformedPacket.Kind;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FrameRulesTest {

    private static final String OK = "accepted";

    /** One packet: what it is, its bytes, and the verdict (OK or the exact reason). */
    private static Arguments row(String what, String hexWithComments, String verdict) {
        return Arguments.of(what, hexWithComments, verdict);
    }

    static Stream<Arguments> packets() {
        return Stream.of(
                // --- fixed-header flags and types, judged on the first byte ---
                row("reserved type 0", "00 00", "reserved packet type 0 (MQTT-2.2.1)"),
                row("reserved type 15 (AUTH in MQTT 5)", "f0 00", "reserved packet type 15 (MQTT-2.2.1)"),
                row("a CONNACK from a client", "20 02 0000", "CONNACK is sent by servers only (MQTT-4.8.0-1)"),
                row("a SUBACK from a client", "90 03 0001 00", "SUBACK is sent by servers only (MQTT-4.8.0-1)"),
                row("an UNSUBACK from a client", "b0 02 0001", "UNSUBACK is sent by servers only (MQTT-4.8.0-1)"),
                row("a PINGRESP from a client", "d0 00", "PINGRESP is sent by servers only (MQTT-4.8.0-1)"),
                row("CONNECT flags 0001", """
                        11 0d 0004 4d515454 04 02 003c 0001 68   # CONNECT with flag bit 0
                        """, "CONNECT with fixed-header flags 0001, must be 0000 (MQTT-2.2.2-2)"),
                row("PUBLISH QoS 3", """
                        36 07            # PUBLISH, QoS bits 11
                        0003 612f62      # topic "a/b"
                        6869             # payload
                        """, "PUBLISH with QoS 3 (MQTT-3.3.1-4)"),
                row(
                        "PUBACK flags 0001",
                        "41 02 0001",
                        "PUBACK with fixed-header flags 0001, must be 0000 (MQTT-2.2.2-2)"),
                row(
                        "PUBREL flags 0000",
                        "60 02 0001",
                        "PUBREL with fixed-header flags 0000, must be 0010 (MQTT-2.2.2-2)"),
                row("SUBSCRIBE flags 0000", """
                        80 08 0001 0003 612f62 00   # SUBSCRIBE "a/b" QoS 0, flags 0000
                        """, "SUBSCRIBE with fixed-header flags 0000, must be 0010 (MQTT-2.2.2-2)"),
                row("SUBSCRIBE flags 1010", """
                        8a 08 0001 0003 612f62 00   # SUBSCRIBE with DUP set
                        """, "SUBSCRIBE with fixed-header flags 1010, must be 0010 (MQTT-2.2.2-2)"),
                row(
                        "UNSUBSCRIBE flags 0000",
                        """
                        a0 07 0001 0003 612f62      # UNSUBSCRIBE "a/b", flags 0000
                        """,
                        "UNSUBSCRIBE with fixed-header flags 0000, must be 0010 (MQTT-2.2.2-2)"),
                row("PINGREQ flags 0001", "c1 00", "PINGREQ with fixed-header flags 0001, must be 0000 (MQTT-2.2.2-2)"),
                row(
                        "DISCONNECT flags 0010",
                        "e2 00",
                        "DISCONNECT with fixed-header flags 0010, must be 0000 (MQTT-2.2.2-2)"),

                // --- CONNECT ---
                row("MQTT 3.1.1 CONNECT", """
                        10 0d            # CONNECT, remaining length 13
                        0004 4d515454    # protocol name "MQTT"
                        04 02 003c       # level 4, clean session, keepalive 60 s
                        0001 68          # client id "h"
                        """, OK),
                row("MQTT 3.1 CONNECT", """
                        10 0f            # CONNECT, remaining length 15
                        0006 4d5149736470 # protocol name "MQIsdp"
                        03 02 003c       # level 3, clean session, keepalive 60 s
                        0001 68          # client id "h"
                        """, OK),
                row("CONNECT with will, username and binary password and will message", """
                        10 1d            # CONNECT, remaining length 29
                        0004 4d515454    # protocol name "MQTT"
                        04 c6 003c       # level 4; username, password, will QoS 0, will, clean session
                        0001 68          # client id "h"
                        0001 77          # will topic "w"
                        0004 00ffc0af    # will message: binary, not UTF-8, and that is fine
                        0001 75          # username "u"
                        0002 00ff        # password: binary
                        """, OK),
                row("MQTT 5 CONNECT, judged by the MQTT 5 rules", """
                        10 0e            # CONNECT, remaining length 14
                        0004 4d515454    # protocol name "MQTT"
                        05 02 003c       # level 5, clean start, keepalive 60 s
                        00               # properties: none
                        0001 68          # client id "h"
                        """, OK),
                row(
                        "CONNECT ending after the protocol name",
                        """
                        10 06            # CONNECT, remaining length 6
                        0004 4d515454    # protocol name "MQTT", then the packet ends
                        """,
                        "CONNECT ends inside its protocol level, flags and keepalive"),
                row(
                        "CONNECT protocol name longer than the packet",
                        """
                        10 04            # CONNECT, remaining length 4
                        0004 4d51        # protocol name length 4, 2 bytes follow
                        """,
                        "protocol name: length 4 runs past the end of the packet (2 bytes left)"),
                row(
                        "CONNECT protocol name with an overlong 'Q'",
                        """
                        10 0e            # CONNECT, remaining length 14
                        0005 4dc19154 54 # protocol name "M" + 'Q' in two bytes + "TT"
                        04 02 003c       # level 4, clean session, keepalive 60 s
                        0001 68          # client id "h"
                        """,
                        "protocol name: overlong encoding of U+0051 at byte 1 (MQTT-1.5.3-1)"),
                row("MQTT 3.1.1 CONNECT from a bridge", """
                        10 0d            # CONNECT, remaining length 13
                        0004 4d515454    # protocol name "MQTT"
                        84 02 003c       # level 4 with the bridge bit, clean session, keepalive 60 s
                        0001 68          # client id "h"
                        """, OK),
                row("MQTT 3.1 CONNECT from a bridge", """
                        10 0f            # CONNECT, remaining length 15
                        0006 4d5149736470 # protocol name "MQIsdp"
                        83 02 003c       # level 3 with the bridge bit, clean session, keepalive 60 s
                        0001 68          # client id "h"
                        """, OK),
                row(
                        "CONNECT from a bridge with the reserved flag",
                        """
                        10 0d 0004 4d515454
                        84 03 003c       # level 4 with the bridge bit, clean session + reserved bit 0
                        0001 68          # client id "h"
                        """,
                        "reserved connect flag (bit 0) set (MQTT-3.1.2-3)"),
                row(
                        "MQTT 5 CONNECT with the bridge bit",
                        """
                        10 0e            # CONNECT, remaining length 14
                        0004 4d515454    # protocol name "MQTT"
                        85 02 003c       # level 5 with the bridge bit, clean start, keepalive 60 s
                        00               # properties: none
                        0001 68          # client id "h"
                        """,
                        "protocol level 0x85: the bridge bit is for MQTT 3.1 and 3.1.1 only"),
                row("CONNECT reserved flag", """
                        10 0d 0004 4d515454
                        04 03 003c       # level 4, clean session + reserved bit 0
                        0001 68          # client id "h"
                        """, "reserved connect flag (bit 0) set (MQTT-3.1.2-3)"),
                row("CONNECT will QoS 3", """
                        10 13 0004 4d515454
                        04 1e 003c       # will QoS 3, will, clean session
                        0001 68 0001 77 0001 78   # client id "h", will topic "w", will message "x"
                        """, "will QoS 3 (MQTT-3.1.2-14)"),
                row(
                        "CONNECT will QoS without a will",
                        """
                        10 0d 0004 4d515454
                        04 0a 003c       # will QoS 1 without the will flag, clean session
                        0001 68          # client id "h"
                        """,
                        "will QoS or will retain set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)"),
                row(
                        "CONNECT will retain without a will",
                        """
                        10 0d 0004 4d515454
                        04 22 003c       # will retain without the will flag, clean session
                        0001 68          # client id "h"
                        """,
                        "will QoS or will retain set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)"),
                row("CONNECT password without username", """
                        10 11 0004 4d515454
                        04 42 003c       # password, clean session
                        0001 68 0002 7077   # client id "h", password "pw"
                        """, "a password without a username (MQTT-3.1.2-22)"),
                row(
                        "CONNECT client id is a surrogate",
                        """
                        10 0f 0004 4d515454 04 02 003c
                        0003 eda080      # client id: U+D800
                        """,
                        "client id: encoded surrogate U+D800 at byte 0 (MQTT-1.5.3-1)"),
                row("CONNECT username contains U+0000", """
                        10 12 0004 4d515454
                        04 82 003c       # username, clean session
                        0001 68          # client id "h"
                        0003 610062      # username "a" U+0000 "b"
                        """, "username: U+0000 at byte 1 (MQTT-1.5.3-2)"),
                row(
                        "CONNECT will topic overlong",
                        """
                        10 14 0004 4d515454
                        04 06 003c       # will, clean session
                        0001 68          # client id "h"
                        0002 c0af        # will topic: overlong '/'
                        0001 78          # will message "x"
                        """,
                        "will topic: overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)"),
                row(
                        "CONNECT will message longer than the packet",
                        """
                        10 13 0004 4d515454
                        04 06 003c       # will, clean session
                        0001 68          # client id "h"
                        0001 77          # will topic "w"
                        00ff 78          # will message length 255, 1 byte follows
                        """,
                        "will message: length 255 runs past the end of the packet (1 byte left)"),
                row(
                        "CONNECT username longer than the packet",
                        """
                        10 11 0004 4d515454
                        04 82 003c       # username, clean session
                        0001 68          # client id "h"
                        0010 6162        # username length 16, 2 bytes follow
                        """,
                        "username: length 16 runs past the end of the packet (2 bytes left)"),
                row(
                        "CONNECT without room for the client id's length",
                        """
                        10 0b 0004 4d515454 04 02 003c
                        00               # half a length
                        """,
                        "client id: its length needs 2 bytes, 1 byte left in the packet"),
                row("CONNECT with a byte after its last field", """
                        10 0e 0004 4d515454 04 02 003c
                        0001 68          # client id "h"
                        ff               # stray byte
                        """, "1 byte after the last field of CONNECT"),

                // --- PUBLISH ---
                row("PUBLISH QoS 0", """
                        30 07 0003 612f62   # PUBLISH QoS 0 "a/b"
                        6869                # payload "hi"
                        """, OK),
                row("PUBLISH QoS 1 with a payload that is not UTF-8", """
                        32 09 0003 612f62   # PUBLISH QoS 1 "a/b"
                        0001                # packet id 1
                        c0ff                # payload: never inspected
                        """, OK),
                row("PUBLISH to an emoji topic", """
                        30 0a 0006 652ff09f9880   # PUBLISH QoS 0 "e/" U+1F600
                        6869                      # payload "hi"
                        """, OK),
                row("PUBLISH with an empty topic: the decoded-packet rules refuse it", """
                        30 04 0000 6869     # topic "", payload "hi"
                        """, OK),
                row("PUBLISH QoS 1 with packet id 0", """
                        32 09 0003 612f62 0000 6869
                        """, "PUBLISH with packet id 0 (MQTT-2.3.1-1)"),
                row("PUBLISH QoS 1 ending before its packet id", """
                        32 05 0003 612f62   # PUBLISH QoS 1 "a/b", then the packet ends
                        """, "PUBLISH ends before its packet id"),
                row(
                        "PUBLISH topic longer than the packet",
                        """
                        30 05 00ff 616263   # topic length 255, 3 bytes follow
                        """,
                        "PUBLISH topic: length 255 runs past the end of the packet (3 bytes left)"),
                row(
                        "PUBLISH topic ending inside an emoji the payload would complete",
                        """
                        30 09 0004 61f09f98 # topic "a" + 3 of the emoji's 4 bytes
                        806869              # payload: 80 "hi"
                        """,
                        "PUBLISH topic: a sequence of 4 bytes cut off by the end of the string at byte 1 (MQTT-1.5.3-1)"),

                // --- acknowledgements ---
                row("PUBACK", "40 02 0001", OK),
                row("PUBREC", "50 02 0001", OK),
                row("PUBREL", "62 02 0001", OK),
                row("PUBCOMP", "70 02 0001", OK),
                row(
                        "PUBACK with remaining length 3",
                        "40 03 0001 00",
                        "PUBACK with remaining length 3, must be 2 (MQTT-4.8.0-1)"),
                row(
                        "PUBREL with remaining length 1",
                        "62 01 00",
                        "PUBREL with remaining length 1, must be 2 (MQTT-4.8.0-1)"),
                row("PUBCOMP with packet id 0", "70 02 0000", "PUBCOMP with packet id 0 (MQTT-2.3.1-1)"),

                // --- SUBSCRIBE and UNSUBSCRIBE ---
                row("SUBSCRIBE with two filters", """
                        82 0e            # SUBSCRIBE, remaining length 14
                        0001             # packet id 1
                        0003 612f23 01   # "a/#" QoS 1
                        0003 2b2f62 02   # "+/b" QoS 2
                        """, OK),
                row(
                        "SUBSCRIBE with packet id 0",
                        "82 08 0000 0003 612f62 00",
                        "SUBSCRIBE with packet id 0 (MQTT-2.3.1-1)"),
                row("SUBSCRIBE without a filter", "82 02 0001", "SUBSCRIBE without a filter (MQTT-3.8.3-3)"),
                row("SUBSCRIBE asking QoS 3", """
                        82 08 0001 0003 612f62
                        03               # requested QoS 3
                        """, "requested QoS 3 (MQTT-3.8.3-4)"),
                row(
                        "SUBSCRIBE with reserved option bits",
                        """
                        82 08 0001 0003 612f62
                        04               # QoS 0 + reserved bit 2 (MQTT 5's no-local)
                        """,
                        "reserved bits set in the requested QoS byte 0x04 (MQTT-3.8.3-4)"),
                row(
                        "SUBSCRIBE with the top option bit",
                        """
                        82 08 0001 0003 612f62
                        81               # QoS 1 + reserved bit 7
                        """,
                        "reserved bits set in the requested QoS byte 0x81 (MQTT-3.8.3-4)"),
                row("SUBSCRIBE filter without its QoS byte", """
                        82 07 0001 0003 612f62   # filter "a/b", then the packet ends
                        """, "a topic filter without its requested QoS byte"),
                row(
                        "SUBSCRIBE filter longer than the packet",
                        """
                        82 06 0001 000a 6162     # filter length 10, 2 bytes follow
                        """,
                        "topic filter: length 10 runs past the end of the packet (2 bytes left)"),
                row(
                        "SUBSCRIBE with a stray byte after the last filter",
                        """
                        82 09 0001 0003 612f62 00
                        ff               # half a length
                        """,
                        "topic filter: its length needs 2 bytes, 1 byte left in the packet"),
                row(
                        "SUBSCRIBE filter with an overlong '/'",
                        """
                        82 07 0001 0002 c0af 00
                        """,
                        "topic filter: overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)"),
                row("UNSUBSCRIBE with two filters", "a2 0c 0001 0003 612f62 0003 632f64", OK),
                row("UNSUBSCRIBE without a filter", "a2 02 0001", "UNSUBSCRIBE without a filter (MQTT-3.10.3-2)"),
                row(
                        "UNSUBSCRIBE filter longer than the packet",
                        """
                        a2 06 0002 000a 6162     # filter length 10, 2 bytes follow
                        """,
                        "topic filter: length 10 runs past the end of the packet (2 bytes left)"),
                row(
                        "UNSUBSCRIBE with a stray byte",
                        """
                        a2 08 0002 0003 612f62
                        ff               # half a length
                        """,
                        "topic filter: its length needs 2 bytes, 1 byte left in the packet"),
                row(
                        "UNSUBSCRIBE filter with U+0000",
                        "a2 07 0002 0003 610062",
                        "topic filter: U+0000 at byte 1 (MQTT-1.5.3-2)"),

                // --- packets without a body ---
                row("PINGREQ", "c0 00", OK),
                row("DISCONNECT", "e0 00", OK),
                row("PINGREQ with a body", "c0 01 00", "PINGREQ with remaining length 1, must be 0 (MQTT-4.8.0-1)"),
                row(
                        "DISCONNECT with a body",
                        "e0 01 00",
                        "DISCONNECT with remaining length 1, must be 0 (MQTT-4.8.0-1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void judgesEachPacket(String what, String hexWithComments, String verdict) {
        ByteBuf packet = Hex.buffer(hexWithComments);
        int first = packet.getUnsignedByte(0);
        MalformedPacket problem = FrameRules.header(first);
        if (problem == null) {
            int body = 1;
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = packet.getUnsignedByte(body++);
                length |= (digit & 0x7f) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            assertThat(packet.readableBytes() - body)
                    .as("%s: the fixture's remaining length", what)
                    .isEqualTo(length);
            problem = FrameRules.body(first, packet, body, length);
        }
        assertThat(problem == null ? OK : problem.reason()).as(what).isEqualTo(verdict);
        if (problem != null) {
            assertThat(problem.kind())
                    .as("%s: MQTT 3.1.1 has one kind of fault", what)
                    .isEqualTo(Kind.MALFORMED_PACKET);
        }
    }

    @Test
    void tellsTheVersionsWhosePacketsItJudges() {
        assertThat(FrameRules.version(Hex.buffer("0004 4d515454 04 02 003c 0001 68"), 0))
                .as("MQTT level 4")
                .isEqualTo(Version.MQTT_3);
        assertThat(FrameRules.version(Hex.buffer("0006 4d5149736470 03 02 003c 0001 68"), 0))
                .as("MQIsdp level 3")
                .isEqualTo(Version.MQTT_3);
        assertThat(FrameRules.version(Hex.buffer("0004 4d515454 05 02 003c 00 0001 68"), 0))
                .as("MQTT level 5")
                .isEqualTo(Version.MQTT_5);
        assertThat(FrameRules.version(Hex.buffer("0004 4d515454 03 02 003c 0001 68"), 0))
                .as("MQTT level 3")
                .isEqualTo(Version.OTHER);
        assertThat(FrameRules.version(Hex.buffer("0006 4d5149736470 04 02 003c 0001 68"), 0))
                .as("MQIsdp level 4")
                .isEqualTo(Version.OTHER);
        assertThat(FrameRules.version(Hex.buffer("0006 4d5149736470 05 02 003c 00 0001 68"), 0))
                .as("MQIsdp level 5")
                .isEqualTo(Version.OTHER);
        assertThat(FrameRules.version(Hex.buffer("0004 4d515458 04 02 003c 0001 68"), 0))
                .as("MQTX level 4")
                .isEqualTo(Version.OTHER);
        assertThat(FrameRules.version(Hex.buffer("0004 4d515454 c4 02 003c 0001 68"), 0))
                .as("MQTT level 0xC4: only the top bit is the bridge's")
                .isEqualTo(Version.OTHER);
    }

    @Test
    void tellsABridgeByTheTopBitOfAnMqtt3Level() {
        // Mosquitto 2.0.11's handle_connect.c: "MQTT" 0x84 and "MQIsdp" 0x83 are bridges (CONNACK 0, "New bridge
        // connected"); "MQTT" 0x83, "MQIsdp" 0x84 and 0xC4 get CONNACK 0x01, as without the bit.
        record Case(String what, String connect, Version version, boolean bridge) {}
        var cases = List.of(
                new Case("MQTT 0x84", "0004 4d515454 84 02 003c 0001 68", Version.MQTT_3, true),
                new Case("MQIsdp 0x83", "0006 4d5149736470 83 02 003c 0001 68", Version.MQTT_3, true),
                new Case("MQTT 0x04", "0004 4d515454 04 02 003c 0001 68", Version.MQTT_3, false),
                new Case("MQIsdp 0x03", "0006 4d5149736470 03 02 003c 0001 68", Version.MQTT_3, false),
                new Case("MQTT 0x83", "0004 4d515454 83 02 003c 0001 68", Version.OTHER, false),
                new Case("MQIsdp 0x84", "0006 4d5149736470 84 02 003c 0001 68", Version.OTHER, false),
                new Case("MQTT 0x85", "0004 4d515454 85 02 003c 00 0001 68", Version.OTHER, false),
                new Case("MQTT 0x05", "0004 4d515454 05 02 003c 00 0001 68", Version.MQTT_5, false));
        for (Case c : cases) {
            ByteBuf packet = Hex.buffer(c.connect());
            assertThat(FrameRules.version(packet, 0)).as(c.what()).isEqualTo(c.version());
            assertThat(FrameRules.fromBridge(packet, 0)).as(c.what()).isEqualTo(c.bridge());
            packet.release();
        }
    }
}
