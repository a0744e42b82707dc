package dev.drawbridge.broker.net;

/**
 * The MQTT 5 reason codes a client may send in each packet that carries one (OASIS MQTT 5.0 tables 3.4.2.1, 3.5.2.1,
 * 3.6.2.1, 3.7.2.1, 3.14.2.1 and 3.15.2.1). DISCONNECT's codes are those the spec marks as sent by a client or by
 * either side.
 */
final class ReasonCodes {

    private static final int[] PUBACK_PUBREC = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
    private static final int[] PUBREL_PUBCOMP = {0x00, 0x92};
    private static final int[] DISCONNECT = {
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99
    };
    private static final int[] AUTH = {0x00, 0x18, 0x19};

    private ReasonCodes() {}

    /** Whether a client may send this reason code in a packet of this type (4-7, 14 or 15). */
    static boolean allowed(int type, int code) {
        int[] codes = switch (type) {
            case 4, 5 -> PUBACK_PUBREC;
            case 6, 7 -> PUBREL_PUBCOMP;
            case 14 -> DISCONNECT;
            case 15 -> AUTH;
            default -> new int[0];
        };
        for (int allowed : codes) {
            if (allowed == code) {
                return true;
            }
        }
        return false;
    }
}
