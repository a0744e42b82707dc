package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The rules for an MQTT "UTF-8 encoded string" (MQTT 3.1.1 section 1.5.3), checked on the raw bytes without decoding
 * them: well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no encoded surrogates, nothing above U+10FFFF,
 * no 5- or 6-byte forms) and no U+0000. The code points the spec says a receiver MAY close on, control characters
 * U+0001-U+001F and U+007F-U+009F and the Unicode non-characters, are refused too, because Mosquitto 2.0 refuses them
 * and because a control character in a client id or topic would end up in the log. U+FEFF (a BOM) is an ordinary
 * character and is kept (MQTT-1.5.3-3).
 */
final class StrictUtf8 {

    private StrictUtf8() {}

    /**
     * Why these bytes are not an acceptable MQTT string, or null when they are.
     *
     * @param bytes the buffer; its indices are not moved
     * @param from the index of the string's first byte (after the two length bytes)
     * @param length the string's length in bytes
     */
    static @Nullable String problem(ByteBuf bytes, int from, int length) {
        int end = from + length;
        int i = from;
        while (i < end) {
            int b = bytes.getUnsignedByte(i);
            if (b < 0x80) {
                if (b == 0) {
                    return "U+0000 at byte " + (i - from) + " (MQTT-1.5.3-2)";
                }
                if (b < 0x20 || b == 0x7F) {
                    return "control character " + codePoint(b) + " at byte " + (i - from) + " (MQTT 1.5.3)";
                }
                i++;
                continue;
            }
            int following;
            int value;
            int smallest;
            if (b < 0xC0) {
                return "continuation byte " + hex(b) + " without a lead byte at byte " + (i - from) + ILL_FORMED;
            } else if (b < 0xE0) {
                following = 1;
                value = b & 0x1F;
                smallest = 0x80;
            } else if (b < 0xF0) {
                following = 2;
                value = b & 0x0F;
                smallest = 0x800;
            } else if (b < 0xF8) {
                following = 3;
                value = b & 0x07;
                smallest = 0x1_0000;
            } else {
                return "byte " + hex(b) + ", which never occurs in UTF-8, at byte " + (i - from) + ILL_FORMED;
            }
            for (int k = 1; k <= following; k++) {
                if (i + k >= end) {
                    return "a sequence of " + (following + 1) + " bytes cut off by the end of the string at byte "
                            + (i - from) + ILL_FORMED;
                }
                int c = bytes.getUnsignedByte(i + k);
                if ((c & 0xC0) != 0x80) {
                    return "lead byte " + hex(b) + " at byte " + (i - from) + " followed by " + hex(c)
                            + ", not a continuation byte" + ILL_FORMED;
                }
                value = (value << 6) | (c & 0x3F);
            }
            if (value < smallest) {
                return "overlong encoding of " + codePoint(value) + " at byte " + (i - from) + ILL_FORMED;
            }
            if (value >= 0xD800 && value <= 0xDFFF) {
                return "encoded surrogate " + codePoint(value) + " at byte " + (i - from) + ILL_FORMED;
            }
            if (value > 0x10_FFFF) {
                return "code point " + codePoint(value) + " above U+10FFFF at byte " + (i - from) + ILL_FORMED;
            }
            if (value <= 0x9F) {
                return "control character " + codePoint(value) + " at byte " + (i - from) + " (MQTT 1.5.3)";
            }
            if ((value >= 0xFDD0 && value <= 0xFDEF) || (value & 0xFFFE) == 0xFFFE) {
                return "non-character " + codePoint(value) + " at byte " + (i - from) + " (MQTT 1.5.3)";
            }
            i += following + 1;
        }
        return null;
    }

    private static final String ILL_FORMED = " (MQTT-1.5.3-1)";

    private static String codePoint(int value) {
        return String.format(Locale.ROOT, "U+%04X", value);
    }

    private static String hex(int b) {
        return String.format(Locale.ROOT, "0x%02X", b);
    }
}
