package dev.drawbridge.broker.console;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A payload as a person can read it: UTF-8 text without control characters (tabs and line breaks aside) as text, cut
 * to {@link #MAX_CHARS}; anything else as the hex of its first {@link #MAX_HEX_BYTES} bytes. The page shows it as text,
 * never as markup.
 *
 * @param text whether {@code preview} is the payload's text rather than hex
 * @param cut whether the payload goes on past the preview
 */
record Payloads(boolean text, String preview, boolean cut) {

    static final int MAX_CHARS = 120;
    static final int MAX_HEX_BYTES = 24;

    /** @param start the first bytes of a payload of {@code size} bytes */
    static Payloads of(byte[] start, int size) {
        String text = text(start, start.length < size);
        if (text != null) {
            boolean cut = start.length < size || text.length() > MAX_CHARS;
            return new Payloads(true, text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text, cut);
        }
        int shown = Math.min(start.length, MAX_HEX_BYTES);
        return new Payloads(false, HexFormat.ofDelimiter(" ").formatHex(start, 0, shown), shown < size);
    }

    /** The bytes as text, or null when they are not UTF-8 text; a character cut at the end of a part is dropped. */
    private static @Nullable String text(byte[] bytes, boolean part) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, out, !part);
        if (result.isError() || (!part && in.hasRemaining())) {
            return null;
        }
        if (part && in.remaining() > 3) {
            return null;
        }
        try {
            if (!part && decoder.flush(out).isError()) {
                return null;
            }
        } catch (IllegalStateException e) {
            return null;
        }
        out.flip();
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return null;
            }
        }
        return out.toString();
    }
}
