package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MQTT 5 packets from a client, one described case per row, each with the exact verdict and its kind. */
class Mqtt5FrameRulesTest {

    private static final String OK = "accepted";

    private static Arguments ok(String what, String hexWithComments) {
        return Arguments.of(what, hexWithComments, OK);
    }

    private static Arguments malformed(String what, String hexWithComments, String reason) {
        return Arguments.of(what, hexWithComments, "malformed packet: " + reason);
    }

    private static Arguments protocolError(String what, String hexWithComments, String reason) {
        return Arguments.of(what, hexWithComments, "protocol error: " + reason);
    }

    static Stream<Arguments> connects() {
        return Stream.of(
                ok("minimal MQTT 5 CONNECT", """
                        10 0e            # CONNECT
                        0004 4d515454 05 02 003c   # "MQTT" level 5, clean start, keepalive 60 s
                        00               # properties: none
                        0001 68          # client id "h"
                        """),
                ok("CONNECT with every CONNECT property", """
                        10 34 0004 4d515454 05 02 003c
                        26               # properties: 38 bytes
                        11 00000e10      # session expiry interval 3600 s
                        21 0014          # receive maximum 20
                        27 00010000      # maximum packet size 65536
                        22 000a          # topic alias maximum 10
                        19 01            # request response information 1
                        17 00            # request problem information 0
                        26 0001 6b 0001 76   # user property k=v
                        15 0003 616263   # authentication method "abc"
                        16 0002 0102     # authentication data
                        0001 68          # client id "h"
                        """),
                ok("CONNECT with a will and every will property", """
                        10 3b 0004 4d515454 05
                        0e 003c          # will QoS 1, will, clean start
                        00               # properties: none
                        0001 68          # client id "h"
                        25               # will properties: 37 bytes
                        18 0000003c      # will delay interval 60 s
                        01 01            # payload format indicator: UTF-8
                        02 00000078      # message expiry interval 120 s
                        03 0004 74657874 # content type "text"
                        08 0003 722f74   # response topic "r/t"
                        09 0002 abcd     # correlation data
                        26 0001 6b 0001 76   # user property k=v
                        0001 77          # will topic "w"
                        0002 6f6e        # will payload "on"
                        """),
                ok("two user properties: the one property that may repeat", """
                        10 1c 0004 4d515454 05 02 003c
                        0e               # properties: 14 bytes
                        26 0001 6b 0001 76   # user property k=v
                        26 0001 6b 0001 77   # user property k=w
                        0001 68
                        """),
                ok("a password without a username, allowed in MQTT 5", """
                        10 12 0004 4d515454 05
                        42 003c          # password, clean start
                        00 0001 68       # no properties, client id "h"
                        0002 7077        # password "pw"
                        """),
                malformed("reserved connect flag", """
                        10 0e 0004 4d515454 05
                        03 003c          # clean start + reserved bit 0
                        00 0001 68
                        """, "reserved connect flag (bit 0) set (MQTT-3.1.2-3)"),
                malformed("will QoS 3", """
                        10 15 0004 4d515454 05
                        1e 003c          # will QoS 3, will, clean start
                        00 0001 68 00 0001 77 0001 78
                        """, "will QoS 3 (MQTT-3.1.2-14)"),
                malformed(
                        "properties length past the packet",
                        """
                        10 0e 0004 4d515454 05 02 003c
                        10               # properties: 16 bytes, 3 follow
                        0001 68
                        """,
                        "properties length 16 of CONNECT runs past the end of the packet (3 bytes left)"
                                + " (MQTT 2.2.2.1)"),
                malformed(
                        "properties length cut off",
                        """
                        10 0b 0004 4d515454 05 02 003c
                        ff               # the first byte of a longer properties length, then the end
                        """,
                        "properties length of CONNECT: a variable byte integer cut off by the end of the packet"),
                malformed(
                        "properties length in five bytes",
                        """
                        10 0f 0004 4d515454 05 02 003c
                        ff ff ff ff 7f   # five bytes of variable byte integer
                        """,
                        "properties length of CONNECT: a variable byte integer longer than four bytes (MQTT 1.5.5)"),
                malformed(
                        "unknown property identifier",
                        """
                        10 10 0004 4d515454 05 02 003c
                        02 05 00         # property 0x05: no such property
                        0001 68
                        """,
                        "unknown property identifier 0x05 in CONNECT (MQTT 2.2.2.2)"),
                malformed("topic alias in CONNECT", """
                        10 11 0004 4d515454 05 02 003c
                        03 23 0001       # topic alias 1
                        0001 68
                        """, "topic alias (0x23) is not allowed in CONNECT (MQTT 2.2.2.2)"),
                malformed(
                        "will delay interval among the CONNECT properties",
                        """
                        10 13 0004 4d515454 05 02 003c
                        05 18 0000003c   # will delay interval 60 s
                        0001 68
                        """,
                        "will delay interval (0x18) is not allowed in CONNECT (MQTT 2.2.2.2)"),
                malformed(
                        "a property only servers send",
                        """
                        10 12 0004 4d515454 05 02 003c
                        04 12 0001 61    # assigned client identifier "a"
                        0001 68
                        """,
                        "assigned client identifier (0x12) is not allowed in CONNECT: a server sends it"
                                + " (MQTT 2.2.2.2)"),
                protocolError(
                        "session expiry interval twice",
                        """
                        10 18 0004 4d515454 05 02 003c
                        0a 11 00000000 11 0000003c   # session expiry interval 0, then 60
                        0001 68
                        """,
                        "session expiry interval (0x11) more than once in CONNECT (MQTT 2.2.2.2)"),
                protocolError("receive maximum 0", """
                        10 11 0004 4d515454 05 02 003c
                        03 21 0000       # receive maximum 0
                        0001 68
                        """, "receive maximum 0 in CONNECT (MQTT 3.1.2.11.3)"),
                protocolError("maximum packet size 0", """
                        10 13 0004 4d515454 05 02 003c
                        05 27 00000000   # maximum packet size 0
                        0001 68
                        """, "maximum packet size 0 in CONNECT (MQTT 3.1.2.11.4)"),
                protocolError(
                        "request problem information 2",
                        """
                        10 10 0004 4d515454 05 02 003c
                        02 17 02         # request problem information 2
                        0001 68
                        """,
                        "request problem information 2 in CONNECT (MQTT 3.1.2.11)"),
                protocolError(
                        "request response information 2",
                        """
                        10 10 0004 4d515454 05 02 003c
                        02 19 02         # request response information 2
                        0001 68
                        """,
                        "request response information 2 in CONNECT (MQTT 3.1.2.11)"),
                protocolError(
                        "authentication data without a method",
                        """
                        10 12 0004 4d515454 05 02 003c
                        04 16 0001 00    # authentication data, one byte
                        0001 68
                        """,
                        "authentication data without an authentication method (MQTT 3.1.2.11.10)"),
                malformed(
                        "a property value cut off by the end of the properties",
                        """
                        10 11 0004 4d515454 05 02 003c
                        03 11 0000       # session expiry interval with 2 of its 4 bytes
                        0001 68
                        """,
                        "session expiry interval: needs 4 bytes, 2 bytes left in the properties of CONNECT"),
                malformed(
                        "a string property running past the properties",
                        """
                        10 12 0004 4d515454 05 02 003c
                        04 15 0005 61    # authentication method of 5 bytes, 1 inside the properties
                        0001 68
                        """,
                        "authentication method: length 5 runs past the end of the properties of CONNECT"
                                + " (1 byte left)"),
                malformed(
                        "user property value with an overlong '/'",
                        """
                        10 16 0004 4d515454 05 02 003c
                        08 26 0001 6b 0002 c0af   # user property k=<overlong '/'>
                        0001 68
                        """,
                        "user property value: overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)"),
                malformed("user property name with U+0000", """
                        10 15 0004 4d515454 05 02 003c
                        07 26 0001 00 0001 76   # user property <U+0000>=v
                        0001 68
                        """, "user property name: U+0000 at byte 0 (MQTT-1.5.3-2)"),
                malformed(
                        "topic alias among the will properties",
                        """
                        10 17 0004 4d515454 05 06 003c   # will, clean start
                        00 0001 68
                        03 23 0001       # will properties: topic alias 1
                        0001 77 0000
                        """,
                        "topic alias (0x23) is not allowed in the will properties (MQTT 2.2.2.2)"),
                protocolError(
                        "will payload format indicator 2",
                        """
                        10 16 0004 4d515454 05 06 003c
                        00 0001 68
                        02 01 02         # will properties: payload format indicator 2
                        0001 77 0000
                        """,
                        "payload format indicator 2 in the will properties (MQTT 3.3.2.3.2)"),
                protocolError(
                        "will response topic with a wildcard", """
                        10 1a 0004 4d515454 05 06 003c
                        00 0001 68
                        06 08 0003 612f23   # will properties: response topic "a/#"
                        0001 77 0000
                        """, "response topic with a wildcard (MQTT-3.3.2-14)"),
                malformed(
                        "will content type with an encoded surrogate",
                        """
                        10 1a 0004 4d515454 05 06 003c
                        00 0001 68
                        06 03 0003 eda080   # will properties: content type U+D800
                        0001 77 0000
                        """,
                        "content type: encoded surrogate U+D800 at byte 0 (MQTT-1.5.3-1)"),
                malformed(
                        "will properties cut off",
                        """
                        10 0e 0004 4d515454 05 06 003c
                        00 0001 68       # and no will properties, topic or payload
                        """,
                        "properties length of the will properties: a variable byte integer cut off by the end"
                                + " of the packet"),
                malformed("a byte after the last field", """
                        10 0f 0004 4d515454 05 02 003c 00 0001 68
                        00               # one byte too many
                        """, "1 byte after the last field of CONNECT"));
    }

    static Stream<Arguments> publishes() {
        return Stream.of(
                ok("PUBLISH QoS 0 without properties", """
                        30 08 0003 612f62   # PUBLISH QoS 0, topic "a/b"
                        00 6869          # no properties, payload "hi"
                        """),
                ok("PUBLISH QoS 1 with every PUBLISH property", """
                        32 2d 0003 612f62 0001   # PUBLISH QoS 1, topic "a/b", packet id 1
                        23               # properties: 35 bytes
                        01 01            # payload format indicator: UTF-8
                        02 0000003c      # message expiry interval 60 s
                        03 0004 74657874 # content type "text"
                        08 0003 722f74   # response topic "r/t"
                        09 0002 abcd     # correlation data
                        23 0005          # topic alias 5
                        26 0001 6b 0001 76   # user property k=v
                        6869             # payload "hi"
                        """),
                ok("correlation data is binary and need not be UTF-8", """
                        30 0b 0003 612f62
                        05 09 0002 c0af  # correlation data
                        """),
                ok("an empty topic with a topic alias", """
                        30 08 0000       # topic: empty
                        03 23 0001       # topic alias 1
                        6869
                        """),
                protocolError(
                        "an empty topic without a topic alias",
                        """
                        30 05 0000 00 6869
                        """,
                        "PUBLISH with an empty topic and no topic alias (MQTT 3.3.2.1)"),
                malformed("topic alias 0", """
                        30 09 0003 612f62
                        03 23 0000       # topic alias 0
                        """, "topic alias 0 in PUBLISH (MQTT-3.3.2-8)"),
                protocolError(
                        "a subscription identifier from a client",
                        """
                        30 08 0003 612f62
                        02 0b 01         # subscription identifier 1
                        """,
                        "a PUBLISH from a client with a subscription identifier (MQTT-3.3.4-6)"),
                protocolError(
                        "message expiry interval twice",
                        """
                        30 10 0003 612f62
                        0a 02 0000003c 02 0000003c
                        """,
                        "message expiry interval (0x02) more than once in PUBLISH (MQTT 2.2.2.2)"),
                protocolError("topic alias twice", """
                        30 0c 0003 612f62
                        06 23 0001 23 0002
                        """, "topic alias (0x23) more than once in PUBLISH (MQTT 2.2.2.2)"),
                protocolError(
                        "payload format indicator 2", """
                        30 08 0003 612f62
                        02 01 02
                        """, "payload format indicator 2 in PUBLISH (MQTT 3.3.2.3.2)"),
                protocolError("response topic with a wildcard", """
                        30 0c 0003 612f62
                        06 08 0003 2b2f62   # response topic "+/b"
                        """, "response topic with a wildcard (MQTT-3.3.2-14)"),
                malformed(
                        "response topic with a control character",
                        """
                        30 0c 0003 612f62
                        06 08 0003 611b62   # response topic "a<ESC>b"
                        """,
                        "response topic: control character U+001B at byte 1 (MQTT 1.5.3)"),
                malformed(
                        "properties length past the packet",
                        """
                        30 06 0003 612f62
                        20               # properties: 32 bytes, none follow
                        """,
                        "properties length 32 of PUBLISH runs past the end of the packet (0 bytes left)"
                                + " (MQTT 2.2.2.1)"),
                malformed(
                        "QoS 1 PUBLISH ending before its properties",
                        """
                        32 07 0003 612f62 0001
                        """,
                        "properties length of PUBLISH: a variable byte integer cut off by the end of the packet"),
                malformed(
                        "session expiry interval in PUBLISH",
                        """
                        30 0b 0003 612f62
                        05 11 00000000
                        """,
                        "session expiry interval (0x11) is not allowed in PUBLISH (MQTT 2.2.2.2)"),
                malformed(
                        "reason string in PUBLISH",
                        """
                        30 0a 0003 612f62
                        04 1f 0001 78
                        """,
                        "reason string (0x1F) is not allowed in PUBLISH (MQTT 2.2.2.2)"),
                malformed("PUBLISH QoS 3", "36 08 0003 612f62 0001 00", "PUBLISH with QoS 3 (MQTT-3.3.1-4)"),
                malformed(
                        "PUBLISH packet id 0", "32 08 0003 612f62 0000 00", "PUBLISH with packet id 0 (MQTT-2.3.1-1)"));
    }

    static Stream<Arguments> acknowledgements() {
        return Stream.of(
                ok("PUBACK without a reason code", "40 02 0001"),
                ok("PUBACK 0x10 without properties", "40 03 0001 10"),
                ok("PUBACK 0x80 with a reason string", """
                        40 09 0001 80    # PUBACK id 1, unspecified error
                        05 1f 0002 6e6f  # reason string "no"
                        """),
                ok("PUBREC with empty properties", "50 04 0001 00 00"),
                ok("PUBREL 0x92", "62 03 0001 92"),
                ok("PUBCOMP with a user property", "70 0b 0001 00 07 26 0001 6b 0001 76"),
                protocolError("PUBACK 0x92", "40 03 0001 92", "PUBACK with reason code 0x92, not one of PUBACK's"),
                protocolError("PUBREC 0x04", "50 03 0001 04", "PUBREC with reason code 0x04, not one of PUBREC's"),
                protocolError("PUBREL 0x10", "62 03 0001 10", "PUBREL with reason code 0x10, not one of PUBREL's"),
                protocolError("PUBCOMP 0x80", "70 03 0001 80", "PUBCOMP with reason code 0x80, not one of PUBCOMP's"),
                malformed(
                        "PUBACK properties past the packet",
                        """
                        40 05 0001 00
                        05 1f            # properties: 5 bytes, 1 follows
                        """,
                        "properties length 5 of PUBACK, PUBREC, PUBREL or PUBCOMP runs past the end of the"
                                + " packet (1 byte left) (MQTT 2.2.2.1)"),
                malformed(
                        "PUBACK with a topic alias",
                        "40 07 0001 00 03 23 0001",
                        "topic alias (0x23) is not allowed in PUBACK, PUBREC, PUBREL or PUBCOMP (MQTT 2.2.2.2)"),
                protocolError(
                        "PUBCOMP with two reason strings",
                        "70 0c 0001 00 08 1f 0001 61 1f 0001 62",
                        "reason string (0x1F) more than once in PUBACK, PUBREC, PUBREL or PUBCOMP (MQTT 2.2.2.2)"),
                malformed(
                        "PUBACK with a byte after its properties",
                        "40 05 0001 00 00 ff",
                        "1 byte after the last field of PUBACK"),
                malformed("PUBACK packet id 0", "40 02 0000", "PUBACK with packet id 0 (MQTT-2.3.1-1)"),
                malformed("PUBACK of one byte", "40 01 00", "PUBACK ends before its packet id"),
                malformed(
                        "PUBREL flags 0000",
                        "60 02 0001",
                        "PUBREL with fixed-header flags 0000, must be 0010 (MQTT-2.2.2-2)"));
    }

    static Stream<Arguments> subscriptions() {
        return Stream.of(
                ok("SUBSCRIBE with QoS 2, no local, retain as published, retain handling 2", """
                        82 09 0001       # SUBSCRIBE id 1
                        00               # no properties
                        0003 612f62 2e   # "a/b": QoS 2 | no local | retain as published | retain handling 2
                        """),
                ok("SUBSCRIBE with a subscription identifier", """
                        82 0b 0001
                        02 0b 05         # subscription identifier 5
                        0003 612f62 01
                        """),
                ok("subscription identifier in two bytes", """
                        82 0c 0001
                        03 0b 8001       # subscription identifier 128
                        0003 612f62 01
                        """),
                ok("a shared subscription without no local", """
                        82 10 0001 00
                        000a 2473686172652f672f61 01   # "$share/g/a" QoS 1
                        """),
                ok("two filters and a user property", """
                        82 14 0001
                        07 26 0001 6b 0001 76
                        0003 612f62 00 0001 23 12   # "a/b" QoS 0, "#" QoS 2 retain handling 1
                        """),
                malformed("subscription identifier 0", """
                        82 0b 0001
                        02 0b 00         # subscription identifier 0
                        0003 612f62 01
                        """, "subscription identifier 0 (MQTT 3.8.2.1.2)"),
                protocolError(
                        "subscription identifier twice",
                        """
                        82 0d 0001
                        04 0b 01 0b 02
                        0003 612f62 01
                        """,
                        "subscription identifier (0x0B) more than once in SUBSCRIBE (MQTT 2.2.2.2)"),
                malformed(
                        "subscription identifier in five bytes",
                        """
                        82 0f 0001
                        06 0b ffffffff01
                        0003 612f62 01
                        """,
                        "subscription identifier: a variable byte integer longer than four bytes (MQTT 1.5.5)"),
                malformed(
                        "reserved option bit 6",
                        """
                        82 09 0001 00
                        0003 612f62 41   # QoS 1 | reserved bit 6
                        """,
                        "reserved bits 6-7 set in subscription options 0x41 (MQTT-3.8.3-5)"),
                malformed(
                        "reserved option bit 7",
                        "82 09 0001 00 0003 612f62 80",
                        "reserved bits 6-7 set in subscription options 0x80 (MQTT-3.8.3-5)"),
                protocolError(
                        "QoS 3",
                        "82 09 0001 00 0003 612f62 03",
                        "subscription options 0x03 ask for QoS 3 (MQTT 3.8.3.1)"),
                malformed(
                        "retain handling 3",
                        "82 09 0001 00 0003 612f62 31",
                        "subscription options 0x31 ask for retain handling 3 (MQTT 3.8.3.1)"),
                protocolError(
                        "no local on a shared subscription", """
                        82 10 0001 00
                        000a 2473686172652f672f61 05   # "$share/g/a" QoS 1 | no local
                        """, "no local on a shared subscription (MQTT-3.8.3-4)"),
                protocolError(
                        "SUBSCRIBE without a filter", "82 03 0001 00", "SUBSCRIBE without a filter (MQTT-3.8.3-2)"),
                malformed(
                        "topic alias in SUBSCRIBE",
                        "82 0c 0001 03 23 0001 0003 612f62 01",
                        "topic alias (0x23) is not allowed in SUBSCRIBE (MQTT 2.2.2.2)"),
                malformed(
                        "a filter without its options byte",
                        "82 08 0001 00 0003 612f62",
                        "a topic filter without its subscription options byte"),
                malformed(
                        "a filter with an overlong '/'",
                        "82 08 0001 00 0002 c0af 00",
                        "topic filter: overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)"),
                ok("UNSUBSCRIBE", "a2 08 0001 00 0003 612f62"),
                ok("UNSUBSCRIBE with a user property", "a2 0f 0001 07 26 0001 6b 0001 76 0003 612f62"),
                protocolError(
                        "UNSUBSCRIBE without a filter",
                        "a2 03 0001 00",
                        "UNSUBSCRIBE without a filter (MQTT-3.10.3-2)"),
                malformed(
                        "subscription identifier in UNSUBSCRIBE",
                        "a2 0a 0001 02 0b 01 0003 612f62",
                        "subscription identifier (0x0B) is not allowed in UNSUBSCRIBE (MQTT 2.2.2.2)"),
                malformed(
                        "UNSUBSCRIBE ending before its properties",
                        "a2 02 0001",
                        "properties length of UNSUBSCRIBE: a variable byte integer cut off by the end of the packet"));
    }

    static Stream<Arguments> others() {
        return Stream.of(
                ok("DISCONNECT without a body", "e0 00"),
                ok("DISCONNECT 0x04, with will", "e0 01 04"),
                ok("DISCONNECT with a session expiry interval", "e0 07 00 05 11 00000000"),
                ok("DISCONNECT with a reason string and a server reference", """
                        e0 0a 00
                        08 1f 0001 78 1c 0001 79
                        """),
                protocolError(
                        "DISCONNECT 0x8E, which only a server sends",
                        "e0 01 8e",
                        "DISCONNECT with reason code 0x8E, not one a client may send in DISCONNECT"),
                protocolError(
                        "DISCONNECT with a reason code that does not exist",
                        "e0 01 05",
                        "DISCONNECT with reason code 0x05, not one a client may send in DISCONNECT"),
                malformed(
                        "topic alias in DISCONNECT",
                        "e0 05 00 03 23 0001",
                        "topic alias (0x23) is not allowed in DISCONNECT (MQTT 2.2.2.2)"),
                protocolError(
                        "DISCONNECT with two reason strings",
                        "e0 0a 00 08 1f 0001 61 1f 0001 62",
                        "reason string (0x1F) more than once in DISCONNECT (MQTT 2.2.2.2)"),
                malformed(
                        "DISCONNECT with a byte after its properties",
                        "e0 03 00 00 00",
                        "1 byte after the last field of DISCONNECT"),
                malformed(
                        "DISCONNECT flags 0010",
                        "e2 00",
                        "DISCONNECT with fixed-header flags 0010, must be 0000 (MQTT-2.2.2-2)"),
                ok("AUTH without a body", "f0 00"),
                ok("AUTH continue with method and data", """
                        f0 0e 18         # AUTH, continue authentication
                        0c 15 0004 74657374 16 0002 0102   # method "test", data
                        """),
                protocolError("AUTH 0x87", "f0 01 87", "AUTH with reason code 0x87, not one a client may send in AUTH"),
                malformed("AUTH flags 0001", "f1 00", "AUTH with fixed-header flags 0001, must be 0000 (MQTT-2.2.2-2)"),
                malformed(
                        "session expiry interval in AUTH",
                        "f0 07 18 05 11 00000000",
                        "session expiry interval (0x11) is not allowed in AUTH (MQTT 2.2.2.2)"),
                ok("PINGREQ", "c0 00"),
                malformed("PINGREQ with a body", "c0 01 00", "PINGREQ with remaining length 1, must be 0"),
                protocolError(
                        "a CONNACK from a client", "20 03 00 00 00", "CONNACK is sent by servers only (MQTT 2.1.2)"),
                protocolError(
                        "a SUBACK from a client", "90 04 0001 00 00", "SUBACK is sent by servers only (MQTT 2.1.2)"),
                malformed("reserved type 0", "00 00", "reserved packet type 0 (MQTT-2.2.1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"connects", "publishes", "acknowledgements", "subscriptions", "others"})
    void judgesEachPacket(String what, String hexWithComments, String verdict) {
        ByteBuf packet = Hex.buffer(hexWithComments);
        MalformedPacket problem = judge(what, packet);
        String found = problem == null
                ? OK
                : (problem.kind() == MalformedPacket.Kind.PROTOCOL_ERROR ? "protocol error: " : "malformed packet: ")
                        + problem.reason();
        assertThat(found).as(what).isEqualTo(verdict);
    }

    /** The header and then the body rules, as {@link FrameValidator} applies them on an MQTT 5 connection. */
    static @Nullable MalformedPacket judge(String what, ByteBuf packet) {
        int first = packet.getUnsignedByte(0);
        MalformedPacket problem = Mqtt5FrameRules.header(first);
        if (problem != null) {
            return problem;
        }
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
        return Mqtt5FrameRules.body(first, packet, body, length);
    }
}
