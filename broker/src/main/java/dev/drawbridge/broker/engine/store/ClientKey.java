package dev.drawbridge.broker.engine.store;

import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The key of a record that belongs to one client: a number (an owed message's key, a packet id) or a name (a filter),
 * ordered by client id first, so that each client's records are one range of a map.
 */
record ClientKey(String clientId, long number, String name) {

    /** Before every key of the client. */
    static ClientKey first(String clientId) {
        return new ClientKey(clientId, Long.MIN_VALUE, "");
    }

    static ClientKey numbered(String clientId, long number) {
        return new ClientKey(clientId, number, "");
    }

    static ClientKey named(String clientId, String name) {
        return new ClientKey(clientId, 0, name);
    }

    /** How a key is written in the file: client id and name as H2 writes strings, the number as a variable long. */
    static final class Type extends BasicDataType<ClientKey> {

        static final Type INSTANCE = new Type();

        private Type() {}

        @Override
        public int getMemory(ClientKey key) {
            return 48 + 2 * (key.clientId().length() + key.name().length());
        }

        @Override
        public void write(WriteBuffer buffer, ClientKey key) {
            writeString(buffer, key.clientId());
            buffer.putVarLong(key.number());
            writeString(buffer, key.name());
        }

        private static void writeString(WriteBuffer buffer, String s) {
            buffer.putVarInt(s.length()).putStringData(s, s.length());
        }

        @Override
        public ClientKey read(ByteBuffer buffer) {
            String clientId = DataUtils.readString(buffer);
            long number = DataUtils.readVarLong(buffer);
            return new ClientKey(clientId, number, DataUtils.readString(buffer));
        }

        @Override
        public int compare(ClientKey a, ClientKey b) {
            int byClient = a.clientId().compareTo(b.clientId());
            if (byClient != 0) {
                return byClient;
            }
            int byNumber = Long.compare(a.number(), b.number());
            return byNumber != 0 ? byNumber : a.name().compareTo(b.name());
        }

        @Override
        public ClientKey[] createStorage(int size) {
            return new ClientKey[size];
        }
    }
}
