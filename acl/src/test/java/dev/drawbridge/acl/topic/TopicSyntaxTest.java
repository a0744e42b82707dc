package dev.drawbridge.acl.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicSyntaxTest {

    @ParameterizedTest(name = "filter {0} valid={1}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b     | true
            +       | true
            #       | true
            a/+/#   | true
            /       | true
            +/+     | true
            a b/c   | true
            a/b#    | false
            a/#/b   | false
            a+      | false
            +a      | false
            ##      | false
            """)
    void filters(String filter, boolean valid) {
        assertThat(TopicSyntax.isValidFilter(filter)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "name {0} valid={1}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b   | true
            /     | true
            $SYS/x| true
            a/+   | false
            a/#   | false
            """)
    void names(String name, boolean valid) {
        assertThat(TopicSyntax.isValidName(name)).isEqualTo(valid);
    }

    @Test
    void limits() {
        assertThat(TopicSyntax.isValidName("")).isFalse();
        assertThat(TopicSyntax.isValidFilter("")).isFalse();
        assertThat(TopicSyntax.isValidName("/".repeat(200))).isTrue();
        assertThat(TopicSyntax.isValidName("/".repeat(201))).isFalse();
        assertThat(TopicSyntax.isValidName("a".repeat(65_535))).isTrue();
        assertThat(TopicSyntax.isValidName("a".repeat(65_536))).isFalse();
        assertThat(TopicSyntax.isValidName("\u00e9".repeat(32_768))).isFalse();
    }
}
