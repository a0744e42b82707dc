package dev.drawbridge.broker.it.hostile;

/**
 * Follows the MQTT framing (a type byte, a remaining length of 1 to 4 bytes, then that many bytes) over everything a
 * client wrote, so that the test knows where the broker must be once it has read it all: between packets, inside one
 * (and how many bytes it still waits for), or past a length no broker may accept.
 */
final class Framing {

    enum Where {
        /** Between two packets: the broker owes an answer to the next PINGREQ. */
        BETWEEN_PACKETS,
        /** Inside a fixed header's remaining length. */
        IN_LENGTH,
        /** Inside a packet's body; {@link #missing()} bytes still to come. */
        IN_BODY,
        /** A remaining length of five or more bytes: the broker must close. */
        BAD_LENGTH
    }

    private Where where = Where.BETWEEN_PACKETS;
    private int lengthBytes;
    private long length;
    private long missing;
    private long lastDeclared;

    void feed(byte[] bytes) {
        for (byte b : bytes) {
            feed(b & 0xff);
        }
    }

    private void feed(int b) {
        switch (where) {
            case BETWEEN_PACKETS -> {
                where = Where.IN_LENGTH;
                lengthBytes = 0;
                length = 0;
            }
            case IN_LENGTH -> {
                length |= (long) (b & 0x7f) << (7 * lengthBytes);
                lengthBytes++;
                if ((b & 0x80) == 0) {
                    lastDeclared = length;
                    missing = length;
                    where = length == 0 ? Where.BETWEEN_PACKETS : Where.IN_BODY;
                } else if (lengthBytes == 4) {
                    where = Where.BAD_LENGTH;
                }
            }
            case IN_BODY -> {
                missing--;
                if (missing == 0) {
                    where = Where.BETWEEN_PACKETS;
                }
            }
            case BAD_LENGTH -> {
                // stays bad
            }
        }
    }

    Where where() {
        return where;
    }

    /** Body bytes still to come ({@link Where#IN_BODY}). */
    long missing() {
        return missing;
    }

    /** The remaining length of the last fixed header read completely. */
    long lastDeclared() {
        return lastDeclared;
    }
}
