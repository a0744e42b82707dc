package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.closed;
import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.closedAfter;
import static dev.drawbridge.broker.it.hostile.HostileCase.Answer.open;
import static dev.drawbridge.broker.it.hostile.HostileCase.Broker.LIMITED;
import static dev.drawbridge.broker.it.hostile.HostileCase.Broker.OPEN;
import static dev.drawbridge.broker.it.hostile.HostileCase.Start.CONNECTED;
import static dev.drawbridge.broker.it.hostile.HostileCase.Start.CONNECTED_V5;
import static dev.drawbridge.broker.it.hostile.HostileCase.Start.FRESH;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drawbridge.broker.it.hostile.HostileCase.Answer;
import dev.drawbridge.broker.it.hostile.HostileCase.Broker;
import dev.drawbridge.broker.it.hostile.HostileCase.Start;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The hostile inputs: the MUST-close rules of MQTT 3.1.1 (OASIS standard, 29 October 2014, with errata 01), those of
 * MQTT 5.0 (OASIS standard, 7 March 2019; rows H111 on, in {@link HostileCasesV5}) and the packets behind broker CVEs.
 * Each row: the bytes with a comment per field, the answer the spec requires, and what
 * Mosquitto 2.0.11 answered (run on 127.0.0.1 with the same bytes). The limited broker has a password file (user
 * {@value #USER}) and {@code max_packet_size} {@value #MAX_PACKET_SIZE}.
 */
final class HostileCases {

    static final String USER = "alice";
    static final String PASSWORD = "wonderland";
    static final int MAX_PACKET_SIZE = 1024;

    private static final List<HostileCase> ALL = new ArrayList<>();

    /** Mosquitto's CONNACK to an MQTT 5 client: topic alias maximum 10, receive maximum 20. */
    static final String MQTT5_CONNACK = "20 09 00 00 06 22 000a 21 0014";

    /** The same on the limited broker, which also states its maximum packet size. */
    static final String MQTT5_CONNACK_LIMITED = "20 0e 00 00 0b 22 000a 27 00000400 21 0014";

    /** The broker's receive maximum (CONNACK property 0x21) on both test brokers. */
    static final int RECEIVE_MAXIMUM = 20;

    private HostileCases() {}

    /** A row being written: {@link Row#mosquitto} ends it and adds it to the table. */
    static final class Row {
        private final String id;
        private final String clause;
        private final String title;
        private Broker broker = OPEN;
        private Start start = FRESH;
        private byte[] send = new byte[0];
        private Answer answer = closed();

        private Row(String id, String clause, String title) {
            this.id = id;
            this.clause = clause;
            this.title = title;
        }

        /** On the limited broker (password file, max_packet_size), not the open one. */
        Row limited() {
            broker = LIMITED;
            return this;
        }

        /** After a valid CONNECT was accepted on the connection. */
        Row connected() {
            start = CONNECTED;
            return this;
        }

        /** After a valid MQTT 5 CONNECT (no properties) was accepted on the connection. */
        Row connectedV5() {
            start = CONNECTED_V5;
            return this;
        }

        /** One packet: this first byte, the remaining length worked out, then the body (hex, a comment per field). */
        Row packet(int firstByte, String bodyHexWithComments) {
            send = Wire.packet(firstByte, Wire.bytes(bodyHexWithComments));
            return this;
        }

        /** Hex with a {@code #} comment per field. */
        Row send(String hexWithComments) {
            send = Wire.bytes(hexWithComments);
            return this;
        }

        Row send(byte[] bytes) {
            send = bytes;
            return this;
        }

        Row answer(Answer expected) {
            answer = expected;
            return this;
        }

        /** What Mosquitto 2.0.11 answered; adds the row. */
        void mosquitto(String answered) {
            ALL.add(new HostileCase(id, clause, title, broker, start, send, answer, answered));
        }
    }

    static Row row(String id, String clause, String title) {
        return new Row(id, clause, title);
    }

    /** The CONNACK a valid MQTT 5 CONNECT gets from the given test broker. */
    static String mqtt5Connack(Broker broker) {
        return broker == LIMITED ? MQTT5_CONNACK_LIMITED : MQTT5_CONNACK;
    }

    static List<HostileCase> all() {
        return List.copyOf(ALL);
    }

    static {
        // --- the first packet ---------------------------------------------------------------------------------
        row("H01", "MQTT-3.1.0-1", "first packet is a PUBLISH")
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 612f62      # topic "a/b"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H02", "MQTT-3.1.0-1", "first packet is a SUBSCRIBE")
                .send("""
                82 08            # SUBSCRIBE, remaining length 8
                0001             # packet id 1
                0003 612f62      # filter "a/b"
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H03", "MQTT-3.1.0-1", "first packet is a PINGREQ")
                .send("""
                c0 00            # PINGREQ
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H04", "MQTT-3.1.0-1", "first bytes are not MQTT at all")
                .send("""
                de ad be ef 00 01 02 03   # garbage (type 13 with flags, then junk)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H05", "MQTT-3.1.0-1", "first bytes are an HTTP request")
                .send("""
                474554202f20485454502f312e310d0a   # "GET / HTTP/1.1\\r\\n"
                486f73743a20780d0a0d0a             # "Host: x\\r\\n\\r\\n"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H06", "MQTT-2.2.2-2", "CONNECT with fixed-header flags 0001")
                .send("""
                11 0d            # CONNECT with reserved flag bit 0 set, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4 (3.1.1)
                02               # connect flags: clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H07", "MQTT-2.2.1 (reserved type 0)", "first packet has the reserved type 0")
                .send("""
                00 00            # type 0 (reserved, forbidden), remaining length 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H08", "MQTT-2.2.1 (reserved type 15)", "first packet has the reserved type 15")
                .send("""
                f0 00            # type 15 (reserved in 3.1.1, AUTH in MQTT 5), remaining length 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H09", "CVE-2023-0809, CVE-2017-7651", "first packet announces 256 MB, then silence")
                .send("""
                30 ff ff ff 7f   # PUBLISH, remaining length 268,435,455 (the maximum)
                0003 612f62      # topic "a/b", and nothing more
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H10", "CVE-2017-7651", "CONNECT announces 2 MB (more than any sane CONNECT)")
                .send("""
                10 80 80 80 01   # CONNECT, remaining length 2,097,152
                0004 4d515454    # protocol name "MQTT", and nothing more
                """)
                .answer(closed())
                .mosquitto("open: waits for the 2 MB (no limit on a CONNECT's size)");

        // --- the CONNECT packet ---------------------------------------------------------------------------------
        row("H11", "MQTT-3.1.2-1", "protocol name \"MQTX\"")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515458    # protocol name "MQTX"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H12", "MQTT-3.1.2-2", "protocol name \"MQIsdp\" with level 4")
                .send("""
                10 0f            # CONNECT, remaining length 15
                0006 4d5149736470 # protocol name "MQIsdp" (3.1's name)
                04               # level 4 (3.1.1's level)
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closedAfter("20 02 00 01"))
                .mosquitto("CONNACK rc 1, closed");
        row("H13", "MQTT-3.1.2-2", "protocol level 5 (MQTT 5 CONNECT)")
                .send("""
                10 0e            # CONNECT, remaining length 14
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                02               # clean session
                003c             # keepalive 60 s
                00               # MQTT 5 properties: none
                0001 68          # client id "h"
                """)
                .answer(open(MQTT5_CONNACK))
                .mosquitto("accepted as MQTT 5 (CONNACK 20 09 00 00 ...)");
        row("H14", "MQTT-3.1.2-2", "protocol level 6")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                06               # level 6 (no such version)
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closedAfter("20 02 00 01"))
                .mosquitto("CONNACK rc 1, closed");
        row("H15", "MQTT-3.1.2-2", "protocol level 0")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                00               # level 0
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closedAfter("20 02 00 01"))
                .mosquitto("CONNACK rc 1, closed");
        row("H16", "MQTT-3.1.2-3", "reserved connect flag (bit 0) set")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                03               # connect flags: clean session + reserved bit 0
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H17", "MQTT-3.1.2-14", "will QoS 3").send("""
                10 13            # CONNECT, remaining length 19
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                1e               # connect flags: will QoS 3 (11), will flag, clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0001 77          # will topic "w"
                0001 78          # will message "x"
                """).answer(closed()).mosquitto("closed");
        row("H18", "MQTT-3.1.2-13", "will flag 0 but will QoS 1")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                0a               # connect flags: will QoS 1 without the will flag, clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H19", "MQTT-3.1.2-15", "will flag 0 but will retain 1")
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                22               # connect flags: will retain without the will flag, clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H20", "MQTT-3.1.2-22", "password flag without username flag")
                .send("""
                10 11            # CONNECT, remaining length 17
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                42               # connect flags: password, clean session (no username)
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0002 7077        # password "pw"
                """)
                .answer(closed())
                .mosquitto("closed (oracle raw-cases R14)");
        row("H21", "MQTT-1.5.3-2", "client id contains U+0000")
                .send("""
                10 0f            # CONNECT, remaining length 15
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0003 610062      # client id "a" U+0000 "b"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H22", "MQTT-1.5.3-1", "client id is a lone surrogate (ED A0 80 = U+D800)")
                .send("""
                10 0f            # CONNECT, remaining length 15
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0003 eda080      # client id: U+D800 encoded as UTF-8 (ill-formed)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H23", "MQTT-1.5.3-1", "client id has an overlong '/' (C0 AF)")
                .send("""
                10 0e            # CONNECT, remaining length 14
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0002 c0af        # client id: '/' in two bytes (overlong, ill-formed)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H24", "MQTT-1.5.3-1", "client id ends inside a multibyte sequence (E2 82)")
                .send("""
                10 0f            # CONNECT, remaining length 15
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0003 61e282      # client id "a" + the first two of the three bytes of U+20AC
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H25", "MQTT-1.5.3-1", "client id contains the byte FF (never UTF-8)")
                .send("""
                10 0e            # CONNECT, remaining length 14
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0002 61ff        # client id "a" + FF
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H26", "MQTT-1.5.3-1", "username is a lone surrogate")
                .send("""
                10 12            # CONNECT, remaining length 18
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                82               # connect flags: username, clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0003 eda080      # username: U+D800 (ill-formed)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H27", "MQTT-3.1.3-10, MQTT-1.5.3-1", "will topic is ill-formed UTF-8 (overlong C0 AF)")
                .send("""
                10 14            # CONNECT, remaining length 20
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                06               # connect flags: will flag (QoS 0), clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0002 c0af        # will topic: overlong '/'
                0001 78          # will message "x"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H28", "MQTT-4.7.1-1, MQTT-3.1.3-10", "will topic contains a wildcard ('a/#')")
                .send("""
                10 15            # CONNECT, remaining length 21
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                06               # connect flags: will flag (QoS 0), clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0003 612f23      # will topic "a/#"
                0001 78          # will message "x"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H29", "MQTT-3.1.3-8", "empty client id with clean session 0")
                .send("""
                10 0c            # CONNECT, remaining length 12
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                00               # connect flags: clean session 0
                003c             # keepalive 60 s
                0000             # client id "" (empty)
                """)
                .answer(closedAfter("20 02 00 02"))
                .mosquitto("CONNACK rc 2, closed");
        row("H30", "MQTT-3.1.3-6", "empty client id with clean session 1 is accepted")
                .send("""
                10 0c            # CONNECT, remaining length 12
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # connect flags: clean session
                003c             # keepalive 60 s
                0000             # client id "" (the broker assigns one)
                """)
                .answer(open("20 02 00 00"))
                .mosquitto("CONNACK rc 0, open");
        row("H31", "MQTT-2.2.3", "CONNECT remaining length in five bytes")
                .send("""
                10 ff ff ff ff 01  # CONNECT, remaining length with a fifth byte (at most four allowed)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H32", "MQTT-3.1.2-1, MQTT-4.8.0-1", "CONNECT strings run past the remaining length")
                .send("""
                10 06            # CONNECT, remaining length 6
                0004 4d515454    # protocol name "MQTT", then the packet ends
                c0 00            # (a PINGREQ the CONNECT would need to swallow)
                """)
                .answer(closed())
                .mosquitto("closed");

        // --- after an accepted CONNECT -------------------------------------------------------------------------------
        row("H33", "MQTT-3.1.0-2", "a second CONNECT")
                .connected()
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H34", "MQTT-2.2.1 (reserved type 0)", "a packet of the reserved type 0")
                .connected()
                .send("""
                00 00            # type 0, remaining length 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H35", "MQTT-2.2.1 (reserved type 15)", "a packet of the reserved type 15")
                .connected()
                .send("""
                f0 00            # type 15 (AUTH in MQTT 5 only), remaining length 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H36", "MQTT-2.2.3", "remaining length in five bytes")
                .connected()
                .send("""
                30 80 80 80 80 01  # PUBLISH, remaining length with a fifth byte
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H37", "MQTT-3.3.1-4", "PUBLISH with QoS 3")
                .connected()
                .send("""
                36 07            # PUBLISH, QoS bits 11, remaining length 7
                0003 612f62      # topic "a/b"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H38", "MQTT-3.3.2-2", "PUBLISH topic contains '+'")
                .connected()
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 612f2b      # topic "a/+"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H39", "MQTT-3.3.2-2", "PUBLISH topic contains '#'")
                .connected()
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 612f23      # topic "a/#"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H40", "MQTT-4.7.3-1, CVE-2021-34432", "PUBLISH with an empty topic")
                .connected()
                .send("""
                30 04            # PUBLISH QoS 0, remaining length 4
                0000             # topic "" (empty)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H41", "MQTT-1.5.3-2", "PUBLISH topic contains U+0000")
                .connected()
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 610062      # topic "a" U+0000 "b"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H42", "MQTT-1.5.3-1, CVE-2017-7653", "PUBLISH topic is a lone surrogate")
                .connected()
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 eda080      # topic: U+D800 (ill-formed)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H43", "MQTT-1.5.3-1, CVE-2017-7653", "PUBLISH topic has an overlong '/'")
                .connected()
                .send("""
                30 08            # PUBLISH QoS 0, remaining length 8
                0004 61c0af62    # topic "a" + overlong '/' + "b" (would read as "a/b" to a lenient decoder)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H44", "MQTT-1.5.3-3", "a BOM in a topic is kept, not stripped")
                .connected()
                .send("""
                82 0b            # SUBSCRIBE, remaining length 11
                0001             # packet id 1
                0006 efbbbf626f6d  # filter U+FEFF "bom"
                00               # QoS 0
                30 0a            # PUBLISH QoS 0, remaining length 10
                0006 efbbbf626f6d  # topic U+FEFF "bom"
                6869             # payload "hi"
                """)
                .answer(open("""
                90 03 0001 00    # SUBACK, packet id 1, granted QoS 0
                """, """
                30 0a 0006 efbbbf626f6d 6869   # the message, BOM and all
                """))
                .mosquitto("SUBACK, the message with the BOM, open");
        row("H45", "MQTT-2.3.1-1", "PUBLISH QoS 1 with packet id 0")
                .connected()
                .send("""
                32 09            # PUBLISH QoS 1, remaining length 9
                0003 612f62      # topic "a/b"
                0000             # packet id 0 (not allowed)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H46", "MQTT-3.3.2 (no packet id at QoS 0)", "PUBLISH QoS 0 whose payload looks like a packet id")
                .connected()
                .send("""
                82 07            # SUBSCRIBE, remaining length 7
                0001             # packet id 1
                0002 7130        # filter "q0"
                00               # QoS 0
                30 08            # PUBLISH QoS 0, remaining length 8
                0002 7130        # topic "q0"
                0000 6869        # payload: 00 00 (not a packet id at QoS 0) "hi"
                """)
                .answer(open("""
                90 03 0001 00    # SUBACK, packet id 1, granted QoS 0
                """, """
                30 08 0002 7130 0000 6869   # the message with all four payload bytes
                """))
                .mosquitto("SUBACK, the message with the four bytes, open");
        row("H47", "MQTT-3.8.1-1", "SUBSCRIBE with fixed-header flags 0000")
                .connected()
                .send("""
                80 08            # SUBSCRIBE with flags 0000 (must be 0010), remaining length 8
                0001             # packet id 1
                0003 612f62      # filter "a/b"
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H48", "MQTT-3.8.3-3", "SUBSCRIBE without any filter")
                .connected()
                .send("""
                82 02            # SUBSCRIBE, remaining length 2
                0001             # packet id 1, and no payload
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H49", "MQTT-3.8.3-4", "SUBSCRIBE asking for QoS 3")
                .connected()
                .send("""
                82 08            # SUBSCRIBE, remaining length 8
                0001             # packet id 1
                0003 612f62      # filter "a/b"
                03               # requested QoS 3
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H50", "MQTT-3.8.3-4", "SUBSCRIBE with reserved option bits set")
                .connected()
                .send("""
                82 08            # SUBSCRIBE, remaining length 8
                0001             # packet id 1
                0003 612f62      # filter "a/b"
                04               # QoS 0 + reserved bit 2 (MQTT 5's no-local)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H51", "MQTT-2.3.1-1", "SUBSCRIBE with packet id 0")
                .connected()
                .send("""
                82 08            # SUBSCRIBE, remaining length 8
                0000             # packet id 0 (not allowed)
                0003 612f62      # filter "a/b"
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H52", "MQTT-4.7.1-2", "SUBSCRIBE to 'a/#/b'")
                .connected()
                .send("""
                82 0a            # SUBSCRIBE, remaining length 10
                0001             # packet id 1
                0005 612f232f62  # filter "a/#/b" ('#' not last)
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H53", "MQTT-4.7.1-3", "SUBSCRIBE to 'a+'")
                .connected()
                .send("""
                82 07            # SUBSCRIBE, remaining length 7
                0001             # packet id 1
                0002 612b        # filter "a+" ('+' not a whole level)
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H54", "MQTT-4.7.3-1", "SUBSCRIBE to an empty filter")
                .connected()
                .send("""
                82 05            # SUBSCRIBE, remaining length 5
                0001             # packet id 1
                0000             # filter "" (empty)
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H55", "MQTT-1.5.3-1", "SUBSCRIBE filter has an overlong '/'")
                .connected()
                .send("""
                82 07            # SUBSCRIBE, remaining length 7
                0001             # packet id 1
                0002 c0af        # filter: overlong '/'
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H56", "MQTT-4.8.0-1", "SUBSCRIBE filter longer than the packet")
                .connected()
                .send("""
                82 06            # SUBSCRIBE, remaining length 6
                0001             # packet id 1
                000a 6162        # filter length 10, but only "ab" follows
                c0 00            # (a PINGREQ the filter would need to swallow)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H57", "MQTT-3.10.1-1", "UNSUBSCRIBE with fixed-header flags 0000")
                .connected()
                .send("""
                a0 07            # UNSUBSCRIBE with flags 0000 (must be 0010), remaining length 7
                0001             # packet id 1
                0003 612f62      # filter "a/b"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H58", "MQTT-3.10.3-2", "UNSUBSCRIBE without any filter")
                .connected()
                .send("""
                a2 02            # UNSUBSCRIBE, remaining length 2
                0001             # packet id 1, and no payload
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H59", "MQTT-3.6.1-1", "PUBREL with fixed-header flags 0000")
                .connected()
                .send("""
                60 02            # PUBREL with flags 0000 (must be 0010)
                0001             # packet id 1
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H60", "MQTT-3.6.4-1, MQTT-4.3.3-2", "PUBREL for a packet id never used")
                .connected()
                .send("""
                62 02            # PUBREL, remaining length 2
                0007             # packet id 7 (no QoS 2 message with it)
                """)
                .answer(open("""
                70 02 0007       # PUBCOMP, packet id 7
                """))
                .mosquitto("PUBCOMP 7, open");
        row("H61", "MQTT-2.2.2-2", "PINGREQ with fixed-header flags 0001")
                .connected()
                .send("""
                c1 00            # PINGREQ with flag bit 0 set
                """)
                .answer(closed())
                .mosquitto("PINGRESP, open (lenient)");
        row("H62", "MQTT-4.8.0-1 (PINGREQ has no body)", "PINGREQ with a remaining length of 1")
                .connected()
                .send("""
                c0 01 00         # PINGREQ, remaining length 1, one byte
                """)
                .answer(closed())
                .mosquitto("PINGRESP, open (lenient)");
        row("H63", "MQTT-4.8.0-1, CVE-2021-28166", "a CONNACK sent by the client")
                .connected()
                .send("""
                20 02 00 00      # CONNACK (server to client only)
                """)
                .answer(closed())
                .mosquitto("closed (\"Bad socket read/write\")");
        row("H64", "MQTT-4.8.0-1", "a SUBACK sent by the client")
                .connected()
                .send("""
                90 03 0001 00    # SUBACK (server to client only)
                """)
                .answer(closed())
                .mosquitto("ignored (\"Received SUBACK\"), open");
        row("H65", "MQTT-4.8.0-1", "a PINGRESP sent by the client")
                .connected()
                .send("""
                d0 00            # PINGRESP (server to client only)
                """)
                .answer(closed())
                .mosquitto("ignored (\"Received PINGRESP\"), open");
        row("H66", "MQTT-4.8.0-1", "PUBLISH topic length past the packet end")
                .connected()
                .send("""
                30 05            # PUBLISH QoS 0, remaining length 5
                00ff 616263      # topic length 255, but only "abc" follows
                c0 00            # (a PINGREQ the topic would need to swallow)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H67", "CVE-2018-12543", "retained PUBLISH QoS 1 to '$'")
                .connected()
                .send("""
                33 07            # PUBLISH QoS 1 retained, remaining length 7
                0001 24          # topic "$"
                0001             # packet id 1
                6869             # payload "hi"
                """)
                .answer(open("""
                40 02 0001       # PUBACK, packet id 1
                """))
                .mosquitto("PUBACK 1, open");

        // --- sizes and floods --------------------------------------------------------------------------------------
        row("H68", "MQTT-1.5.3 (65,535-byte strings)", "PUBLISH QoS 1 to a 65,535-byte topic")
                .connected()
                .send(Wire.publishQos1(1, "t".repeat(65_535), "hi".getBytes(UTF_8)))
                .answer(open("""
                40 02 0001       # PUBACK, packet id 1
                """))
                .mosquitto("PUBACK 1, open");
        // H69-H71: Drawbridge refuses topics of more than 200 levels, as Mosquitto does (bounded topic depth).
        row("H69", "MQTT-4.7 (topic levels)", "SUBSCRIBE and PUBLISH 1,000 levels deep")
                .connected()
                .send(Wire.concat(
                        Wire.subscribe(1, deep(1_000), 0), // SUBSCRIBE "d/d/.../d", QoS 0
                        publishQos0(deep(1_000)))) // PUBLISH "hi" there
                .answer(closed())
                .mosquitto("closed as malformed (Mosquitto refuses topics of more than 200 levels)");
        row("H70", "CVE-2019-11779", "SUBSCRIBE to a filter of 65,535 '/'")
                .connected()
                .send(Wire.subscribe(1, "/".repeat(65_535), 0))
                .answer(closed())
                .mosquitto("closed as malformed (more than 200 levels)");
        row("H71", "CVE-2019-11779", "PUBLISH QoS 1 to a topic of 65,535 '/'")
                .connected()
                .send(Wire.publishQos1(1, "/".repeat(65_535), "hi".getBytes(UTF_8)))
                .answer(closed())
                .mosquitto("closed, protocol error (more than 200 levels)");
        row("H72", "MQTT-3.12.4-1 (flood)", "10,000 PINGREQs in one write")
                .connected()
                .send(Wire.repeat(Wire.PINGREQ, 10_000))
                .answer(open(repeatList(Wire.PINGRESP, 10_000)))
                .mosquitto("10,000 PINGRESPs, open");
        row("H73", "CVE-2023-28366, MQTT-4.3.3-2", "100 QoS 2 PUBLISHes with one packet id, no PUBREL")
                .connected()
                .send(Wire.repeat(Wire.packet(0x34, Wire.bytes("0003 612f62 0001 6869")), 100)) // QoS 2 "a/b" id 1
                .answer(open(repeatList(Wire.bytes("50 02 0001"), 100))) // a PUBREC with id 1 for each
                .mosquitto("one PUBREC, then closed (2.0.11 predates the CVE fix)");
        row("H74", "CVE-2019-11778", "MQTT 5 CONNECT with a will delay longer than the session")
                .send("""
                10 1f            # CONNECT, remaining length 31
                0004 4d515454    # protocol name "MQTT"
                05               # level 5
                06               # will flag (QoS 0), clean start
                003c             # keepalive 60 s
                05 11 00000001   # properties: session expiry 1 s
                0001 68          # client id "h"
                05 18 0000ffff   # will properties: will delay 65,535 s
                0001 77          # will topic "w"
                0001 78          # will message "x"
                """)
                .answer(open(MQTT5_CONNACK))
                .mosquitto("accepted as MQTT 5 (CONNACK 20 09 00 00 ...)");
        row("H75", "CVE-2021-41039", "MQTT 5 CONNECT with 5,000 user properties")
                .send(v5ConnectWithUserProperties(5_000))
                .answer(open(MQTT5_CONNACK))
                .mosquitto("accepted as MQTT 5 (CONNACK 20 09 00 00 ...)");

        // --- the limited broker: password file, max_packet_size 1024 ------------------------------------------------
        row("H76", "MQTT-3.1.2-19 (password checked)", "wrong password")
                .limited()
                .send(Wire.connect("h", Optional.of(USER), Optional.of("guess")))
                .answer(closedAfter("20 02 00 05"))
                .mosquitto("CONNACK rc 5, closed");
        row("H77", "CVE-2017-7654 (unauthenticated CONNECT)", "no credentials where they are required")
                .limited()
                .send("""
                10 0d            # CONNECT, remaining length 13
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                """)
                .answer(closedAfter("20 02 00 05"))
                .mosquitto("CONNACK rc 5, closed");
        row("H78", "max_packet_size", "a packet of max_packet_size + 3 bytes (remaining length 1024)")
                .limited()
                .connected()
                .send(publishOfTotalSize(MAX_PACKET_SIZE + 3))
                .answer(closed())
                // Mosquitto refuses remaining length + 1 > max_packet_size: 1,027 bytes, but not 1,025 or 1,026.
                .mosquitto("closed");
        row("H79", "max_packet_size", "a packet exactly max_packet_size long")
                .limited()
                .connected()
                .send(publishOfTotalSize(MAX_PACKET_SIZE))
                .answer(open("""
                40 02 0001       # PUBACK, packet id 1
                """))
                .mosquitto("PUBACK 1, open");
        row("H80", "max_packet_size (CVE-2017-7651 class)", "a packet announcing 1 MB, then silence")
                .limited()
                .connected()
                .send("""
                32 80 80 40      # PUBLISH QoS 1, remaining length 1,048,576
                0003 612f62      # topic "a/b", and nothing more
                """)
                .answer(closed())
                .mosquitto("closed at once");

        // --- strings and lengths, judged on the raw bytes before decoding ---------------------------------------
        row("H87", "MQTT-1.5.3-1", "PUBLISH topic has '/' in three bytes (E0 80 AF)")
                .connected()
                .send("""
                30 09            # PUBLISH QoS 0, remaining length 9
                0005 61e080af62  # topic "a" + '/' overlong in three bytes + "b"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H88", "MQTT-1.5.3-1", "PUBLISH topic has the low surrogate U+DFFF (ED BF BF)")
                .connected()
                .send("""
                30 08            # PUBLISH QoS 0, remaining length 8
                0004 61edbfbf    # topic "a" + U+DFFF encoded (ill-formed)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H89", "MQTT-1.5.3-1", "PUBLISH topic is CESU-8 (an emoji as two encoded surrogates)")
                .connected()
                .send("""
                30 0b            # PUBLISH QoS 0, remaining length 11
                0007 61eda0bdedb880 # topic "a" + U+D83D U+DE00 each in three bytes (Java's modified UTF-8)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H90", "MQTT-1.5.3-2", "username contains U+0000")
                .send("""
                10 12            # CONNECT, remaining length 18
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                82               # connect flags: username, clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0003 610062      # username "a" U+0000 "b"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H91", "MQTT-1.5.3-1", "PUBLISH topic has a 5-byte sequence (F8 88 80 80 80)")
                .connected()
                .send("""
                30 0a            # PUBLISH QoS 0, remaining length 10
                0006 61f888808080 # topic "a" + a 5-byte form (RFC 3629 allows at most 4)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H92", "MQTT-1.5.3-1", "PUBLISH topic has U+110000 in four bytes (F4 90 80 80)")
                .connected()
                .send("""
                30 09            # PUBLISH QoS 0, remaining length 9
                0005 61f4908080  # topic "a" + U+110000 (above U+10FFFF)
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H93", "MQTT-1.5.3-1", "PUBLISH topic ends inside an emoji that the payload's first byte would complete")
                .connected()
                .send("""
                30 09            # PUBLISH QoS 0, remaining length 9
                0004 61f09f98    # topic "a" + the first three of the four bytes of U+1F600
                806869           # payload: 80 (the emoji's last byte) "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H94", "MQTT-4.8.0-1", "UNSUBSCRIBE filter longer than the packet")
                .connected()
                .send("""
                a2 06            # UNSUBSCRIBE, remaining length 6
                0002             # packet id 2
                000a 6162        # filter length 10, but only "ab" follows
                c0 00            # (a PINGREQ the filter would need to swallow)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H95", "MQTT-4.8.0-1", "PUBLISH QoS 1 ends before its packet id")
                .connected()
                .send("""
                32 05            # PUBLISH QoS 1, remaining length 5
                0003 612f62      # topic "a/b", then the packet ends (no packet id)
                c0 00            # (a PINGREQ that would be read as packet id 0xC000)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H96", "MQTT-4.8.0-1", "CONNECT will message longer than the packet")
                .send("""
                10 13            # CONNECT, remaining length 19
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                06               # connect flags: will flag (QoS 0), clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0001 77          # will topic "w"
                00ff 78          # will message length 255, but only "x" follows
                c0 00            # (a PINGREQ the will message would need to swallow)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H97", "MQTT-1.5.3", "a topic with a 4-byte emoji is accepted and delivered as sent")
                .connected()
                .send("""
                82 0b            # SUBSCRIBE, remaining length 11
                0001             # packet id 1
                0006 652ff09f9880  # filter "e/" U+1F600
                00               # QoS 0
                30 0a            # PUBLISH QoS 0, remaining length 10
                0006 652ff09f9880  # topic "e/" U+1F600
                6869             # payload "hi"
                """)
                .answer(open("""
                90 03 0001 00    # SUBACK, packet id 1, granted QoS 0
                """, """
                30 0a 0006 652ff09f9880 6869   # the message, emoji and all
                """))
                .mosquitto("SUBACK, the message with the emoji, open");
        row("H98", "MQTT-1.5.3 (MAY close)", "PUBLISH topic has the control character U+0001")
                .connected()
                .send("""
                30 07            # PUBLISH QoS 0, remaining length 7
                0003 610162      # topic "a" U+0001 "b"
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H99", "MQTT-1.5.3 (MAY close)", "client id has a line feed (a forged log line)")
                .send("""
                10 0f            # CONNECT, remaining length 15
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0003 610a62      # client id "a" LF "b"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H100", "MQTT-1.5.3 (MAY close)", "PUBLISH topic has the non-character U+FFFF")
                .connected()
                .send("""
                30 08            # PUBLISH QoS 0, remaining length 8
                0004 61efbfbf    # topic "a" U+FFFF
                6869             # payload "hi"
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H101", "MQTT-4.8.0-1", "SUBSCRIBE filter without its requested QoS byte")
                .connected()
                .send("""
                82 07            # SUBSCRIBE, remaining length 7
                0001             # packet id 1
                0003 612f62      # filter "a/b", then the packet ends
                c0 00            # (a PINGREQ whose first byte would be read as the QoS)
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H102", "MQTT-4.8.0-1", "SUBSCRIBE with a stray byte after the last filter")
                .connected()
                .send("""
                82 09            # SUBSCRIBE, remaining length 9
                0001             # packet id 1
                0003 612f62 00   # filter "a/b" QoS 0
                ff               # one byte: not even a filter's length
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H103", "MQTT-4.8.0-1", "CONNECT with a stray byte after its last field")
                .send("""
                10 0e            # CONNECT, remaining length 14
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                02               # clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                ff               # a byte no field accounts for
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H104", "MQTT-3.4.1 (remaining length 2), MQTT-4.8.0-1", "PUBACK with remaining length 3")
                .connected()
                .send("""
                40 03            # PUBACK, remaining length 3
                0001 00          # packet id 1, and an MQTT 5 reason code
                """)
                .answer(closed())
                .mosquitto("open (lenient: reads it as MQTT 5)");
        row(
                        "H105",
                        "MQTT-3.1.3-4, MQTT-3.1.3-6 (binary data)",
                        "will message and password are binary: 00 FF C0 AF are fine")
                .send("""
                10 1d            # CONNECT, remaining length 29
                0004 4d515454    # protocol name "MQTT"
                04               # level 4
                c6               # connect flags: username, password, will (QoS 0), clean session
                003c             # keepalive 60 s
                0001 68          # client id "h"
                0001 77          # will topic "w"
                0004 00ffc0af    # will message: binary, not UTF-8
                0001 75          # username "u"
                0002 00ff        # password: binary, not UTF-8
                """)
                .answer(open("20 02 00 00"))
                .mosquitto("CONNACK rc 0, open");
        row("H106", "MQTT 3.1, MQTT-1.5.3-1", "MQTT 3.1 (MQIsdp) client id has an overlong '/'")
                .send("""
                10 11            # CONNECT, remaining length 17
                0006 4d5149736470 # protocol name "MQIsdp"
                03               # level 3 (MQTT 3.1)
                02               # clean session
                003c             # keepalive 60 s
                0003 61c0af      # client id "a" + overlong '/'
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H107", "MQTT-4.8.2-1 (shared subscription, also over 3.1.1)", "SUBSCRIBE to $share//t: empty group")
                .connected()
                .send("""
                82 0e            # SUBSCRIBE, remaining length 14
                0001             # packet id 1
                0009 2473686172652f2f74   # filter "$share//t"
                01               # QoS 1
                """)
                .answer(closed())
                .mosquitto("SUBACK 0x01, open (2.0.11 accepts an empty group)");
        row(
                        "H108",
                        "MQTT-4.8.2-2 (shared subscription, also over 3.1.1)",
                        "SUBSCRIBE to $share/g: no filter after the group")
                .connected()
                .send("""
                82 0d            # SUBSCRIBE, remaining length 13
                0001             # packet id 1
                0008 2473686172652f67     # filter "$share/g"
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("SUBACK 0x00, open (2.0.11 accepts a group without a filter)");
        row(
                        "H109",
                        "MQTT-4.8.2-2 (shared subscription, also over 3.1.1)",
                        "SUBSCRIBE to $share/g+/t: wildcard in the group")
                .connected()
                .send("""
                82 10            # SUBSCRIBE, remaining length 16
                0001             # packet id 1
                000b 2473686172652f672b2f74   # filter "$share/g+/t"
                00               # QoS 0
                """)
                .answer(closed())
                .mosquitto("closed");
        row("H110", "MQTT 5 4.8.2 (shared subscription over 3.1.1)", "SUBSCRIBE to $share/g/t is granted")
                .connected()
                .send("""
                82 0f            # SUBSCRIBE, remaining length 15
                0001             # packet id 1
                000a 2473686172652f672f74   # filter "$share/g/t"
                01               # QoS 1
                """)
                .answer(open("90 03 0001 01"))
                .mosquitto("SUBACK 0x01, open");
        HostileCasesV5.add();
    }

    /** PUBLISH QoS 0, payload "hi". */
    private static byte[] publishQos0(String topic) {
        return Wire.packet(0x30, Wire.concat(Wire.utf8(topic), "hi".getBytes(UTF_8)));
    }

    /** "d/d/.../d": {@code levels} levels. */
    static String deep(int levels) {
        return String.join("/", Collections.nCopies(levels, "d"));
    }

    private static List<byte[]> repeatList(byte[] packet, int times) {
        return Collections.nCopies(times, packet);
    }

    /**
     * PUBLISH QoS 1, packet id 1, topic "a/b", padded with payload bytes so that the whole packet (fixed header included)
     * is {@code total} bytes long.
     */
    static byte[] publishOfTotalSize(int total) {
        byte[] head = Wire.concat(Wire.utf8("a/b"), Wire.u16(1));
        for (int payload = total - head.length - 2; payload >= 0; payload--) {
            byte[] p = Wire.packet(0x32, Wire.concat(head, new byte[payload]));
            if (p.length == total) {
                return p;
            }
        }
        throw new IllegalArgumentException("no PUBLISH of " + total + " bytes");
    }

    /** An MQTT 5 CONNECT, client id "h", with {@code count} user properties "k" = "v". */
    static byte[] v5ConnectWithUserProperties(int count) {
        byte[] property = Wire.bytes("26 0001 6b 0001 76"); // user property: "k" = "v"
        byte[] properties = Wire.repeat(property, count);
        return Wire.packet(
                0x10,
                Wire.concat(
                        Wire.utf8("MQTT"), // protocol name
                        Wire.bytes("05 02 003c"), // level 5, clean start, keepalive 60 s
                        Wire.remainingLength(properties.length), // properties length (variable byte integer)
                        properties,
                        Wire.utf8("h"))); // client id
    }
}
