package dev.drawbridge.broker.engine.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A 64-bit fingerprint of a QoS 2 PUBLISH's topic and payload, kept with its packet id until the PUBREL: a PUBLISH that
 * comes again with that id is the same message when its fingerprint is the same, whatever its DUP flag, and another one
 * when it differs (Mosquitto 2.0.11 compares topic, QoS and payload the same way). It is stored with the packet id, so
 * it must be the same in every run: FNV-1a over the topic's characters, its length and the payload, then MurmurHash3's
 * final mix. Never 0, which a store written before fingerprints holds and which means "not known".
 */
final class MessageFingerprint {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private MessageFingerprint() {}

    static long of(String topic, ByteBuf payload) {
        long hash = OFFSET_BASIS;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            hash = (hash ^ (c >>> 8)) * PRIME;
            hash = (hash ^ (c & 0xff)) * PRIME;
        }
        // The topic's length between the two, so that no topic and payload pair reads as another.
        hash = (hash ^ topic.length()) * PRIME;
        for (int i = payload.readerIndex(); i < payload.writerIndex(); i++) {
            hash = (hash ^ (payload.getByte(i) & 0xff)) * PRIME;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash == 0 ? 1 : hash;
    }
}
