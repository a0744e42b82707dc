package dev.drawbridge.broker.it.hostile;

import java.util.Arrays;
import java.util.List;

/**
 * One hostile input and the answer MQTT 3.1.1 (or, on an MQTT 5 connection, MQTT 5) requires of the broker.
 *
 * @param id H01, H02, ...: stable, used in known-bug lists and reports
 * @param clause the spec clause (or CVE) the case comes from
 * @param title what is wrong with the bytes
 * @param broker which test broker receives them
 * @param start whether a valid CONNECT is accepted on the connection first
 * @param send the hostile bytes, written in one go
 * @param answer what the broker must answer
 * @param mosquitto what Mosquitto 2.0.11 (Debian 12) answered to the same bytes
 */
record HostileCase(
        String id,
        String clause,
        String title,
        Broker broker,
        Start start,
        byte[] send,
        Answer answer,
        String mosquitto) {

    /** The open broker (anonymous, no size limit) or the limited one (password file, max_packet_size 1024). */
    enum Broker {
        OPEN,
        LIMITED
    }

    enum Start {
        /** The hostile bytes are the first on the connection. */
        FRESH,
        /** A valid CONNECT was sent and accepted with CONNACK 0 first. */
        CONNECTED,
        /** A valid MQTT 5 CONNECT (no properties) was sent and accepted with a CONNACK of reason code 0x00 first. */
        CONNECTED_V5
    }

    /**
     * The broker's answer: these packets, then the connection closed or still open (a PINGREQ is answered).
     *
     * @param packets the expected packets, in order
     * @param closes true when the broker must close the connection after them
     */
    record Answer(List<byte[]> packets, boolean closes) {

        /** Closed without a byte sent back. */
        static Answer closed() {
            return new Answer(List.of(), true);
        }

        /** These packets, then closed. */
        static Answer closedAfter(String... hexPackets) {
            return new Answer(Arrays.stream(hexPackets).map(Wire::bytes).toList(), true);
        }

        /** These packets (maybe none), and the connection stays usable. */
        static Answer open(String... hexPackets) {
            return new Answer(Arrays.stream(hexPackets).map(Wire::bytes).toList(), false);
        }

        static Answer open(List<byte[]> packets) {
            return new Answer(List.copyOf(packets), false);
        }

        /** What a transcript of this answer looks like (see {@code HostileInputIT.transcript}). */
        List<String> transcript() {
            List<String> lines = new java.util.ArrayList<>(Wire.describeAll(packets));
            lines.add(closes ? HostileInputIT.CLOSED : HostileInputIT.STILL_OPEN);
            return lines;
        }
    }

    @Override
    public String toString() {
        return id + " " + clause + ": " + title;
    }
}
