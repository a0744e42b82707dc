package dev.drawbridge.broker.net;

/**
 * Why a client's packet breaks the protocol, found on its raw bytes: {@link FrameValidator} sends it down the pipeline
 * as an event, and the front handler logs it with the client's name and address, once, and closes the connection.
 *
 * @param reason why the packet was refused, for the log
 * @param kind which of MQTT 5's two reason codes the spec's wording gives the fault (an MQTT 3.1.1 connection has no
 *     reason codes; its faults are all {@link Kind#MALFORMED_PACKET})
 */
record MalformedPacket(String reason, Kind kind) {

    /**
     * The spec's two words for a packet the receiver must close on (MQTT 5 section 4.13), and the one fault that has a
     * reason code of its own before any field is read: a packet over the size limit.
     */
    enum Kind {
        /** "is a Malformed Packet": it cannot be parsed by the spec's layout (DISCONNECT 0x81). */
        MALFORMED_PACKET(ReasonCodes.MALFORMED_PACKET),
        /** "is a Protocol Error": it parses but breaks a rule of the protocol (DISCONNECT 0x82). */
        PROTOCOL_ERROR(ReasonCodes.PROTOCOL_ERROR),
        /** Over the server's maximum packet size (MQTT-3.2.2-15 is the client's side of it; DISCONNECT 0x95). */
        PACKET_TOO_LARGE(ReasonCodes.PACKET_TOO_LARGE);

        private final int reasonCode;

        Kind(int reasonCode) {
            this.reasonCode = reasonCode;
        }

        /** The MQTT 5 DISCONNECT reason code for this kind of fault. */
        int reasonCode() {
            return reasonCode;
        }
    }

    static MalformedPacket malformed(String reason) {
        return new MalformedPacket(reason, Kind.MALFORMED_PACKET);
    }

    static MalformedPacket protocolError(String reason) {
        return new MalformedPacket(reason, Kind.PROTOCOL_ERROR);
    }

    static MalformedPacket tooLarge(String reason) {
        return new MalformedPacket(reason, Kind.PACKET_TOO_LARGE);
    }
}
