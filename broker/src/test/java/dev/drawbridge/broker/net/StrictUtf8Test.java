package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictUtf8Test {

    private static final String OK = "accepted";

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            ''           | the empty string                      | accepted
            612f62       | a/b                                   | accepted
            7e           | ~ (last printable ASCII)              | accepted
            c2a0         | U+00A0, the first after the C1 controls | accepted
            c3a9         | é                                     | accepted
            e282ac       | €                                     | accepted
            ed9fbf       | U+D7FF, just below the surrogates      | accepted
            ee8080       | U+E000, just above the surrogates      | accepted
            efbbbf626f6d | U+FEFF (BOM) then bom: kept           | accepted
            efb7b0       | U+FDF0, just after the non-characters  | accepted
            efbfbd       | U+FFFD (the replacement character)    | accepted
            f09f9880     | U+1F600, a 4-byte emoji               | accepted
            f48fbfbd     | U+10FFFD, the last usable code point  | accepted
            610062       | U+0000 inside                         | U+0000 at byte 1 (MQTT-1.5.3-2)
            c080         | U+0000 in two bytes                   | overlong encoding of U+0000 at byte 0 (MQTT-1.5.3-1)
            61c0af62     | a slash in two bytes                   | overlong encoding of U+002F at byte 1 (MQTT-1.5.3-1)
            e080af       | a slash in three bytes                 | overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)
            f08080af     | a slash in four bytes                  | overlong encoding of U+002F at byte 0 (MQTT-1.5.3-1)
            e09fbf       | U+07FF in three bytes                 | overlong encoding of U+07FF at byte 0 (MQTT-1.5.3-1)
            eda080       | the surrogate U+D800                  | encoded surrogate U+D800 at byte 0 (MQTT-1.5.3-1)
            61edbfbf     | the surrogate U+DFFF                  | encoded surrogate U+DFFF at byte 1 (MQTT-1.5.3-1)
            eda0bdedb880 | U+1F600 as two surrogates (CESU-8)    | encoded surrogate U+D83D at byte 0 (MQTT-1.5.3-1)
            f4908080     | U+110000                              | code point U+110000 above U+10FFFF at byte 0 (MQTT-1.5.3-1)
            f7bfbfbf     | U+1FFFFF                              | code point U+1FFFFF above U+10FFFF at byte 0 (MQTT-1.5.3-1)
            f888808080   | a 5-byte form                         | byte 0xF8, which never occurs in UTF-8, at byte 0 (MQTT-1.5.3-1)
            fc8480808080 | a 6-byte form                         | byte 0xFC, which never occurs in UTF-8, at byte 0 (MQTT-1.5.3-1)
            61ff         | the byte FF                           | byte 0xFF, which never occurs in UTF-8, at byte 1 (MQTT-1.5.3-1)
            61e282       | € without its last byte               | a sequence of 3 bytes cut off by the end of the string at byte 1 (MQTT-1.5.3-1)
            f09f98       | an emoji without its last byte        | a sequence of 4 bytes cut off by the end of the string at byte 0 (MQTT-1.5.3-1)
            80           | a lone continuation byte              | continuation byte 0x80 without a lead byte at byte 0 (MQTT-1.5.3-1)
            e241         | a lead byte, then ASCII               | lead byte 0xE2 at byte 0 followed by 0x41, not a continuation byte (MQTT-1.5.3-1)
            01           | U+0001                                | control character U+0001 at byte 0 (MQTT 1.5.3)
            610a62       | a line feed (a forged log line)       | control character U+000A at byte 1 (MQTT 1.5.3)
            1f           | U+001F                                | control character U+001F at byte 0 (MQTT 1.5.3)
            7f           | U+007F (DEL)                          | control character U+007F at byte 0 (MQTT 1.5.3)
            c285         | U+0085 (a C1 control)                 | control character U+0085 at byte 0 (MQTT 1.5.3)
            c29f         | U+009F                                | control character U+009F at byte 0 (MQTT 1.5.3)
            efb790       | U+FDD0                                | non-character U+FDD0 at byte 0 (MQTT 1.5.3)
            efb7af       | U+FDEF                                | non-character U+FDEF at byte 0 (MQTT 1.5.3)
            efbfbe       | U+FFFE                                | non-character U+FFFE at byte 0 (MQTT 1.5.3)
            efbfbf       | U+FFFF                                | non-character U+FFFF at byte 0 (MQTT 1.5.3)
            f09fbfbe     | U+1FFFE                               | non-character U+1FFFE at byte 0 (MQTT 1.5.3)
            f48fbfbf     | U+10FFFF                              | non-character U+10FFFF at byte 0 (MQTT 1.5.3)
            """)
    void judgesEachString(String hex, String what, String expected) {
        ByteBuf bytes = Hex.buffer(hex);
        String problem = StrictUtf8.problem(bytes, 0, bytes.readableBytes());
        assertThat(problem == null ? OK : problem).as(what).isEqualTo(expected);
    }

    @Test
    void looksOnlyAtTheStringsOwnBytes() {
        ByteBuf bytes = Hex.buffer("""
                ff ff            # before the string: never UTF-8
                61 f09f98        # the string: 'a', then an emoji cut off
                80               # after the string: the byte that would complete the emoji
                """);
        assertThat(StrictUtf8.problem(bytes, 2, 1)).as("'a' alone").isNull();
        assertThat(StrictUtf8.problem(bytes, 2, 4))
                .as("the cut-off emoji, though the next byte would complete it")
                .isEqualTo("a sequence of 4 bytes cut off by the end of the string at byte 1 (MQTT-1.5.3-1)");
        assertThat(bytes.readerIndex()).isZero();
    }
}
