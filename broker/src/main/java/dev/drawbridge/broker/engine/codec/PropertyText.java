package dev.drawbridge.broker.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 properties of a PUBLISH (as {@link MessagePropertyCodec} keeps them, or as a delivery carries them) as
 * name and value text, for a person to read. Binary values are given by their size only.
 */
public final class PropertyText {

    private PropertyText() {}

    /** Each property in order; what follows a property it does not know is left out. */
    public static List<Map.Entry<String, String>> of(byte[] p) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        int at = 0;
        try {
            while (at < p.length) {
                int id = p[at++] & 0xFF;
                switch (id) {
                    case MessagePropertyCodec.PAYLOAD_FORMAT_INDICATOR -> {
                        out.add(Map.entry("payload format", (p[at++] & 0xFF) == 1 ? "UTF-8" : "bytes"));
                    }
                    case MessagePropertyCodec.MESSAGE_EXPIRY_INTERVAL -> {
                        long seconds = ((long) u16(p, at) << 16) | u16(p, at + 2);
                        out.add(Map.entry("message expiry", seconds + " s"));
                        at += 4;
                    }
                    case MessagePropertyCodec.CONTENT_TYPE, MessagePropertyCodec.RESPONSE_TOPIC -> {
                        String name = id == MessagePropertyCodec.CONTENT_TYPE ? "content type" : "response topic";
                        out.add(Map.entry(name, utf8(p, at)));
                        at += 2 + u16(p, at);
                    }
                    case MessagePropertyCodec.CORRELATION_DATA -> {
                        out.add(Map.entry("correlation data", u16(p, at) + " bytes"));
                        at += 2 + u16(p, at);
                    }
                    case MessagePropertyCodec.SUBSCRIPTION_IDENTIFIER -> {
                        while ((p[at] & 0x80) != 0) {
                            at++;
                        }
                        at++;
                    }
                    case MessagePropertyCodec.USER_PROPERTY -> {
                        String key = utf8(p, at);
                        at += 2 + u16(p, at);
                        String value = utf8(p, at);
                        at += 2 + u16(p, at);
                        out.add(Map.entry(key, value));
                    }
                    default -> {
                        return out;
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            // Cut short: what was read so far stands.
        }
        return out;
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
    }

    private static String utf8(byte[] p, int at) {
        int length = u16(p, at);
        if (at + 2 + length > p.length) {
            throw new ArrayIndexOutOfBoundsException(at + 2 + length);
        }
        return new String(p, at + 2, length, StandardCharsets.UTF_8);
    }
}
