package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.closed;
import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.closedAfter;
import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.open;
import static dev.drawbridge.broker.it.hostile.HostileCases.row;

import dev.drawbridge.broker.it.hostile.HostileCase.Answer;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5.0 rows of {@link HostileCases} (OASIS standard, 7 March 2019; clauses as "5:section"): properties that
 * are duplicated, not allowed in their packet, out of range or longer than their packet, strings that are not UTF-8,
 * topic aliases, subscription options and identifiers, shared subscription names, enhanced authentication, flow
 * control and packet size. Most rows start on a connection whose MQTT 5 CONNECT (no properties) was accepted. An
 * MQTT 5 server names its reason before it closes: {@value #MALFORMED} is DISCONNECT 0x81 (Malformed Packet),
 * {@value #PROTOCOL_ERROR} DISCONNECT 0x82 (Protocol Error).
 */
final class HostileCasesV5 {

    static final String MALFORMED = "e0 01 81";
    static final String PROTOCOL_ERROR = "e0 01 82";

    private static final int PUBLISH = 0x30;
    private static final int SUBSCRIBE = 0x82;
    private static final int UNSUBSCRIBE = 0xa2;
    private static final int DISCONNECT = 0xe0;
    private static final int CONNECT = 0x10;

    private HostileCasesV5() {}

    static void add() {
        // --- properties: duplicated, not allowed in the packet, unknown ---------------------------------------------
        row("H111", "5:2.2.2.2 (Protocol Error)", "PUBLISH with the payload format indicator twice")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                04               # properties: 4 bytes
                01 00            # payload format indicator 0
                01 00            # payload format indicator 0, again
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("closed, no DISCONNECT");
        row("H112", "5:2.2.2.2 (Protocol Error)", "PUBLISH with the topic alias twice")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                06               # properties: 6 bytes
                23 0001          # topic alias 1
                23 0002          # topic alias 2
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("closed, no DISCONNECT");
        row("H113", "5:2.2.2.2 (Protocol Error)", "CONNECT with the session expiry interval twice")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start
                003c             # keepalive 60 s
                0a               # properties: 10 bytes
                11 00000001      # session expiry interval 1 s
                11 00000002      # session expiry interval 2 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");
        row("H114", "5:3.8.2.1.2 (Protocol Error)", "SUBSCRIBE with two subscription identifiers")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                04               # properties: 4 bytes
                0b 01            # subscription identifier 1
                0b 02            # subscription identifier 2
                0003 612f62 00   # filter "a/b", options QoS 0
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("closed, no DISCONNECT");
        row("H115", "5:2.2.2.2 (property not allowed)", "PUBLISH with a session expiry interval")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                05               # properties: 5 bytes
                11 0000003c      # session expiry interval 60 s: a CONNECT/CONNACK/DISCONNECT property
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H116", "5:2.2.2.2 (property not allowed)", "SUBSCRIBE with a topic alias")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                03               # properties: 3 bytes
                23 0001          # topic alias 1: a PUBLISH property
                0003 612f62 00   # filter "a/b", options QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H117", "5:2.2.2.2 (property not allowed)", "CONNECT with a will delay among its own properties")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start, no will
                003c             # keepalive 60 s
                05               # properties: 5 bytes
                18 0000000a      # will delay interval 10 s: a will property, not a CONNECT one
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");
        row("H118", "5:2.2.2.2 (property not allowed)", "DISCONNECT with a receive maximum")
                .connectedV5()
                .packet(DISCONNECT, """
                00               # reason code 0x00
                03               # properties: 3 bytes
                21 0014          # receive maximum 20: a CONNECT/CONNACK property
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H119", "5:2.2.2.2 (no such property)", "PUBLISH with property identifier 0x7f")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                02               # properties: 2 bytes
                7f 00            # property 0x7f: none has that identifier
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");

        // --- topic aliases (the broker's topic alias maximum is 10) --------------------------------------------------
        row("H120", "5:3.3.2.3.4 (MQTT-3.3.2-8)", "PUBLISH with topic alias 0")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                03               # properties: 3 bytes
                23 0000          # topic alias 0
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H121", "5:3.3.2.3.4 (MQTT-3.3.2-9)", "PUBLISH with topic alias 11, above the maximum of 10")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                03               # properties: 3 bytes
                23 000b          # topic alias 11
                78               # payload "x"
                """)
                .answer(closedAfter("e0 01 94"))
                .mosquitto("DISCONNECT 0x94, closed");
        row("H122", "5:3.3.2.3.4", "PUBLISH with an empty topic and an alias never set")
                .connectedV5()
                .packet(PUBLISH, """
                0000             # topic ""
                03               # properties: 3 bytes
                23 0002          # topic alias 2, never set
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("DISCONNECT 0x82, closed");
        row("H123", "5:3.3.2.1", "PUBLISH with an empty topic and no alias")
                .connectedV5()
                .packet(PUBLISH, """
                0000             # topic ""
                00               # properties: none
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("DISCONNECT 0x82, closed");
        row("H124", "5:3.3.2.3.4", "an alias set, then used with an empty topic (valid)")
                .connectedV5()
                .send(Wire.concat(Wire.packet(PUBLISH, Wire.bytes("""
                        0003 612f62      # topic "a/b"
                        03               # properties: 3 bytes
                        23 0001          # topic alias 1 := "a/b"
                        78               # payload "x"
                        """)), Wire.packet(PUBLISH, Wire.bytes("""
                        0000             # topic "": alias 1
                        03               # properties: 3 bytes
                        23 0001          # topic alias 1
                        79               # payload "y"
                        """))))
                .answer(open())
                .mosquitto("open, nothing sent");

        // --- SUBSCRIBE: identifiers, options, shared subscriptions --------------------------------------------------
        row("H125", "5:3.8.2.1.2", "SUBSCRIBE with subscription identifier 0")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                02               # properties: 2 bytes
                0b 00            # subscription identifier 0
                0003 612f62 00   # filter "a/b", options QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H126", "5:1.5.5 (variable byte integer of 5 bytes)", "SUBSCRIBE with a 5-byte subscription identifier")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                06               # properties: 6 bytes
                0b ffffffff01    # subscription identifier: a variable byte integer of 5 bytes
                0003 612f62 00   # filter "a/b", options QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H127", "5:3.8.3.1 (MQTT-3.8.3-5)", "SUBSCRIBE with the reserved option bits 6 and 7 set")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                0003 612f62 c0   # filter "a/b", options: reserved bits 11, QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H128", "5:3.8.3.1 (retain handling 3)", "SUBSCRIBE with retain handling 3")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                0003 612f62 30   # filter "a/b", options: retain handling 3, QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H129", "5:4.8.2 (MQTT-4.8.2-1)", "MQTT 5 SUBSCRIBE to $share//t: empty group")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                0009 2473686172652f2f74   # filter "$share//t"
                01               # options: QoS 1
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("SUBACK 0x01, open (2.0.11 accepts an empty group)");
        row("H130", "5:4.8.2 (MQTT-4.8.2-2)", "MQTT 5 SUBSCRIBE to $share/g: no filter after the group")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                0008 2473686172652f67     # filter "$share/g"
                00               # options: QoS 0
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("SUBACK 0x00, open (2.0.11 accepts a group without a filter)");
        row("H131", "5:4.8.2 (MQTT-4.8.2-2)", "MQTT 5 SUBSCRIBE to $share/g#/t: wildcard in the group")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                000b 2473686172652f67232f74   # filter "$share/g#/t"
                00               # options: QoS 0
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H132", "5:3.8.3.1 (MQTT-3.8.3-4)", "no local on a shared subscription")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                00               # properties: none
                000a 2473686172652f672f74   # filter "$share/g/t"
                04               # options: no local, QoS 0
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("SUBACK 0x00, open (2.0.11 allows no local on a shared subscription)");

        // --- lengths that run past the packet -----------------------------------------------------------------------
        row("H133", "5:2.2.2.1 (Malformed Packet)", "PUBLISH whose properties length runs past the packet")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                10               # properties: 16 bytes, 2 follow
                6869             # "hi"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H134", "5:2.2.2.1 (Malformed Packet)", "SUBSCRIBE whose properties length runs past the packet")
                .connectedV5()
                .packet(SUBSCRIBE, """
                0001             # packet id 1
                20               # properties: 32 bytes, 6 follow
                0003 612f62 00   # filter "a/b", options QoS 0
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H135", "5:1.5.4 (Malformed Packet)", "user property whose key length runs past its properties")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                04               # properties: 4 bytes
                26 00ff 6b       # user property, key of 255 bytes: 1 follows
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("DISCONNECT 0x81, closed");
        row("H136", "5:2.2.2.1 (Malformed Packet)", "PUBACK whose properties length runs past the packet")
                .connectedV5()
                .packet(0x40, """
                0001             # packet id 1
                10               # reason code 0x10
                05               # properties: 5 bytes, none follow
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");

        // --- strings that are not UTF-8 (MQTT-1.5.4-1) --------------------------------------------------------------
        row("H137", "5:1.5.4 (MQTT-1.5.4-1)", "user property key with an overlong '/'")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                08               # properties: 8 bytes
                26 0002 c0af 0001 76   # user property <overlong "/"> = "v"
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H138", "5:1.5.4 (MQTT-1.5.4-1)", "user property value with an overlong '/'")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                08               # properties: 8 bytes
                26 0001 6b 0002 c0af   # user property "k" = <overlong "/">
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H139", "5:1.5.4 (MQTT-1.5.4-1)", "content type with the surrogate U+D800")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                06               # properties: 6 bytes
                03 0003 eda080   # content type <U+D800>
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H140", "5:1.5.4 (MQTT-1.5.4-1)", "response topic with an overlong '/'")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                05               # properties: 5 bytes
                08 0002 c0af     # response topic <overlong "/">
                78               # payload "x"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H141", "5:3.3.2.3.5 (MQTT-3.3.2-14)", "response topic with a wildcard")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                06               # properties: 6 bytes
                08 0003 612f23   # response topic "a/#"
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("open (2.0.11 does not check the response topic)");
        row("H142", "5:1.5.4 (MQTT-1.5.4-1)", "DISCONNECT reason string with an overlong '/'")
                .connectedV5()
                .packet(DISCONNECT, """
                00               # reason code 0x00
                05               # properties: 5 bytes
                1f 0002 c0af     # reason string <overlong "/">
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H143", "5:1.5.4 (MQTT-1.5.4-1)", "UNSUBSCRIBE user property value with an overlong '/'")
                .connectedV5()
                .packet(UNSUBSCRIBE, """
                0001             # packet id 1
                08               # properties: 8 bytes
                26 0001 6b 0002 c0af   # user property "k" = <overlong "/">
                0003 612f62      # filter "a/b"
                """)
                .answer(closedAfter(MALFORMED))
                .mosquitto("closed, no DISCONNECT");
        row("H144", "5:1.5.4 (MQTT-1.5.4-1)", "will content type with the surrogate U+D800")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                06               # will flag (QoS 0), clean start
                003c             # keepalive 60 s
                00               # properties: none
                0001 68          # client id "h"
                06               # will properties: 6 bytes
                03 0003 eda080   # content type <U+D800>
                0001 77          # will topic "w"
                0001 78          # will message "x"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");

        // --- values out of range ------------------------------------------------------------------------------------
        row("H145", "5:3.1.2.11.3", "CONNECT with receive maximum 0")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start
                003c             # keepalive 60 s
                03               # properties: 3 bytes
                21 0000          # receive maximum 0
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");
        row("H146", "5:3.1.2.11.4", "CONNECT with maximum packet size 0")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start
                003c             # keepalive 60 s
                05               # properties: 5 bytes
                27 00000000      # maximum packet size 0
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");
        row("H147", "5:3.1.2.11.7", "CONNECT with request problem information 2")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start
                003c             # keepalive 60 s
                02               # properties: 2 bytes
                17 02            # request problem information 2 (0 or 1 allowed)
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed, no CONNACK");
        row("H148", "5:3.3.2.3.2", "PUBLISH with payload format indicator 2")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                02               # properties: 2 bytes
                01 02            # payload format indicator 2 (0 or 1 allowed)
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("open (2.0.11 does not check the value)");
        row("H149", "5:3.3.4 (MQTT-3.3.4-6)", "client PUBLISH with a subscription identifier")
                .connectedV5()
                .packet(PUBLISH, """
                0003 612f62      # topic "a/b"
                02               # properties: 2 bytes
                0b 01            # subscription identifier 1: only a server sends it
                78               # payload "x"
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("open (2.0.11 ignores it)");
        row("H150", "5:3.14.2.2.2", "DISCONNECT with a session expiry interval after 0 in CONNECT")
                .connectedV5()
                .packet(DISCONNECT, """
                00               # reason code 0x00
                05               # properties: 5 bytes
                11 0000003c      # session expiry interval 60 s (CONNECT had none: 0)
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("DISCONNECT 0x82, closed");
        row("H151", "5:3.14.2.1", "DISCONNECT with 0x8E, a reason code only servers send")
                .connectedV5()
                .packet(DISCONNECT, """
                8e               # reason code 0x8E (session taken over)
                """)
                .answer(closedAfter(PROTOCOL_ERROR))
                .mosquitto("closed, no DISCONNECT (takes it as a DISCONNECT)");
        row("H152", "MQTT-3.1.0-2", "a second CONNECT on an MQTT 5 connection")
                .connectedV5()
                .send(Wire.connectV5("h", java.util.Optional.empty(), java.util.Optional.empty()))
                .answer(closed())
                .mosquitto("closed, no DISCONNECT");

        // --- enhanced authentication, flow control, size ------------------------------------------------------------
        row("H153", "5:4.12 (MQTT-4.12.0-1)", "CONNECT with an authentication method no plugin supports")
                .packet(CONNECT, """
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean start
                003c             # keepalive 60 s
                0e               # properties: 14 bytes
                15 000b 534352414d2d5348412d31   # authentication method "SCRAM-SHA-1"
                0001 68          # client id "h"
                """)
                .answer(closedAfter("""
                20 1f            # CONNACK, remaining length 31
                00 8c            # session present 0, reason code 0x8C
                1c               # properties: 28 bytes
                1f 0019 6261642061757468656e7469636174696f6e206d6574686f64   # reason string "bad authentication method"
                """))
                .mosquitto("CONNACK 0x8C without a reason string, closed");
        row("H154", "5:4.12", "AUTH on a connection that asked for no authentication method")
                .connectedV5()
                .send("""
                f0 00            # AUTH, remaining length 0 (reason 0x00)
                """)
                .answer(closed())
                .mosquitto("closed, no DISCONNECT");
        row("H155", "5:3.3.4, 5:4.9", "21 unreleased QoS 2 PUBLISHes, receive maximum 20")
                .connectedV5()
                .send(unreleasedQos2(HostileCases.RECEIVE_MAXIMUM + 1))
                .answer(pubrecsThen(HostileCases.RECEIVE_MAXIMUM, "e0 01 93"))
                .mosquitto("20 PUBRECs, then PUBREC 0x97 for the 21st, open");
        row("H156", "5:3.2.2.3.6", "PUBLISH of 1,100 bytes, maximum packet size 1024")
                .limited()
                .connectedV5()
                .send(v5PublishOfTotalSize(1_100))
                .answer(closedAfter("e0 01 95"))
                .mosquitto("DISCONNECT 0x95, closed");
        row("H157", "CVE-2021-41039 (MQTT 5 PUBLISH)", "QoS 0 PUBLISH with 10,000 user properties")
                .connectedV5()
                .send(v5PublishWithUserProperties(10_000))
                .answer(open())
                .mosquitto("open");
        row("H158", "5:3.3.4, 5:4.9", "a QoS 1 PUBLISH after 20 unreleased QoS 2 ones, receive maximum 20")
                .connectedV5()
                .send(Wire.concat(
                        unreleasedQos2(HostileCases.RECEIVE_MAXIMUM),
                        Wire.packet(0x32, Wire.concat(Wire.utf8("a/b"), Wire.u16(21), Wire.bytes("00 78")))))
                .answer(pubrecsThen(HostileCases.RECEIVE_MAXIMUM, "e0 01 93"))
                .mosquitto("20 PUBRECs, then PUBACK 0x97 for the QoS 1 one, open");
    }

    /** {@code count} QoS 2 PUBLISHes, packet ids 1 to count, topic "a/b", no properties, payload "x". */
    private static byte[] unreleasedQos2(int count) {
        List<byte[]> packets = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            packets.add(Wire.packet(0x34, Wire.concat(Wire.utf8("a/b"), Wire.u16(id), Wire.bytes("00 78"))));
        }
        return Wire.concat(packets.toArray(byte[][]::new));
    }

    /** PUBREC for ids 1 to count, then these packets, then the close. */
    private static Answer pubrecsThen(int count, String... then) {
        List<byte[]> packets = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            packets.add(Wire.packet(0x50, Wire.u16(id)));
        }
        for (String p : then) {
            packets.add(Wire.bytes(p));
        }
        return new Answer(packets, true);
    }

    /** PUBLISH QoS 0, topic "a/b", no properties, padded with payload to {@code total} bytes in all. */
    private static byte[] v5PublishOfTotalSize(int total) {
        byte[] head = Wire.concat(Wire.utf8("a/b"), Wire.bytes("00"));
        for (int payload = total - head.length - 2; payload >= 0; payload--) {
            byte[] p = Wire.packet(PUBLISH, Wire.concat(head, new byte[payload]));
            if (p.length == total) {
                return p;
            }
        }
        throw new IllegalArgumentException("no PUBLISH of " + total + " bytes");
    }

    /** PUBLISH QoS 0, topic "a/b", {@code count} user properties "k" = "v", payload "x". */
    private static byte[] v5PublishWithUserProperties(int count) {
        byte[] properties = Wire.repeat(Wire.bytes("26 0001 6b 0001 76"), count); // user property "k" = "v"
        return Wire.packet(
                PUBLISH,
                Wire.concat(
                        Wire.utf8("a/b"), // topic
                        Wire.remainingLength(properties.length), // properties length (variable byte integer)
                        properties,
                        Wire.bytes("78"))); // payload "x"
    }
}
