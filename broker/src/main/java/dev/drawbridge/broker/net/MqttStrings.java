package dev.drawbridge.broker.net;

/** Lengths and log forms of the strings a client sends (client ids, topics). */
final class MqttStrings {

    /** How much of an over-long string a log line shows. */
    static final int LOG_PREFIX_CHARS = 32;

    private MqttStrings() {}

    /** The length in UTF-8; a lone surrogate counts 3 bytes (the decoder refuses those anyway). */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The start of a string for a log line: at most {@link #LOG_PREFIX_CHARS} characters, never half a surrogate pair,
     * control characters as {@code ?} so that a client cannot forge log lines.
     */
    static String logPrefix(String text) {
        int end = Math.min(text.length(), LOG_PREFIX_CHARS);
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
