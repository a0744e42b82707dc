package dev.drawbridge.broker.it.hostile;

import java.util.List;
import java.util.stream.Collectors;

/** The packets one fuzz connection sends, in order; prints one packet a line. */
record PacketSequence(List<FuzzPacket> packets) {

    PacketSequence {
        packets = List.copyOf(packets);
    }

    @Override
    public String toString() {
        return packets.size() + " packets:"
                + packets.stream().map(p -> "\n    " + p).collect(Collectors.joining());
    }
}
