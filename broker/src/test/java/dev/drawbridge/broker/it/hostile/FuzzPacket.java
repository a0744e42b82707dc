package dev.drawbridge.broker.it.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One packet of a fuzz sequence (well-formed or not) as the bytes written for it: usually one write, several when the
 * packet is split at byte boundaries. Prints as what it is and its hex, writes separated by {@code |}, so that a
 * shrunk failing sequence can be read and replayed by hand.
 *
 * @param label what the packet is meant to be, and how it was mutated
 * @param writes the bytes, in the chunks they are written in
 */
record FuzzPacket(String label, List<byte[]> writes) {

    FuzzPacket {
        writes = List.copyOf(writes);
    }

    static FuzzPacket of(String label, byte[] bytes) {
        return new FuzzPacket(label, List.of(bytes));
    }

    /** All the bytes, as one array. */
    byte[] bytes() {
        return Wire.concat(writes.toArray(byte[][]::new));
    }

    /** The same bytes written in pieces, cut before each offset in {@code cuts} (taken modulo the length). */
    FuzzPacket splitAt(List<Integer> cuts) {
        byte[] all = bytes();
        if (all.length < 2 || cuts.isEmpty()) {
            return this;
        }
        List<Integer> at = cuts.stream()
                .map(c -> 1 + Math.floorMod(c, all.length - 1))
                .distinct()
                .sorted()
                .toList();
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : at) {
            pieces.add(Wire.slice(all, from, cut));
            from = cut;
        }
        pieces.add(Wire.slice(all, from, all.length));
        return new FuzzPacket(label + " split", pieces);
    }

    @Override
    public String toString() {
        return label + " [" + writes.stream().map(Wire::hex).collect(Collectors.joining("|")) + "]";
    }
}
