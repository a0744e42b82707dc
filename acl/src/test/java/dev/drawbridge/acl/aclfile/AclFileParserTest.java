package dev.drawbridge.acl.aclfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclFileParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown keyword       | topics read a               | acl:1: invalid line 'topics read a': expected 'topic', 'pattern', 'user' or a '#' comment
            indented comment      | '  # note'                  | acl:1: invalid line '  # note': expected 'topic', 'pattern', 'user' or a '#' comment
            tab separates nothing | 'topic\tread a'             | acl:1: invalid line 'topic\tread a': expected 'topic', 'pattern', 'user' or a '#' comment
            empty topic           | 'topic   '                  | acl:1: empty topic
            bad access word       | topic reed a/b              | acl:1: invalid topic access type 'reed': expected read, write, readwrite or deny
            bad filter            | topic read a/#/b            | acl:1: invalid ACL topic 'a/#/b'
            bad pattern filter    | pattern write %c/x#         | acl:1: invalid ACL topic '%c/x#'
            missing username      | user                        | acl:1: missing username after 'user'
            """)
    void refusesBadLinesWithFileAndLine(String description, String line, String error) {
        assertThatThrownBy(() -> parse(line.replace("\\t", "\t")))
                .isInstanceOf(AclFileException.class)
                .satisfies(
                        e -> assertThat(((AclFileException) e).errors()).containsExactly(error.replace("\\t", "\t")));
    }

    @Test
    void reportsEveryBadLine() {
        assertThatThrownBy(() -> parse("topic read a\nfoo\nuser bob\ntopic bad x\n"))
                .isInstanceOf(AclFileException.class)
                .hasMessage("acl:2: invalid line 'foo': expected 'topic', 'pattern', 'user' or a '#' comment\n"
                        + "acl:4: invalid topic access type 'bad': expected read, write, readwrite or deny");
    }

    @Test
    void refusesInvalidUtf8() {
        assertThatThrownBy(() -> AclFile.parse("acl", new byte[] {'t', 'o', 'p', 'i', 'c', ' ', (byte) 0xff}))
                .hasMessage("acl:1: line is not valid UTF-8");
    }

    @Test
    void missingFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> AclFile.load(dir.resolve("nope.acl")))
                .isInstanceOf(AclFileException.class)
                .hasMessageEndingWith("nope.acl: unable to read ACL file: no such file");
    }

    @Test
    void readsSectionsBlocksAndPatterns() throws Exception {
        AclFile file = parse("""
                # comment
                topic read public/#
                topic anon/rw

                user alice\t
                topic   readwrite   home/alice/# \r
                pattern read devices/%c/cmd
                topic deny home/alice/secret
                user  garage door
                topic read
                user alice
                topic write x/y z
                pattern read fixed/topic
                """);
        assertThat(file.anonymousRules())
                .containsExactly(
                        new AclRule(AclAccess.READ, "public/#", 2), new AclRule(AclAccess.READWRITE, "anon/rw", 3));
        assertThat(file.rulesFor(Optional.of("alice")).orElseThrow())
                .containsExactly(
                        new AclRule(AclAccess.READWRITE, "home/alice/#", 6),
                        new AclRule(AclAccess.DENY, "home/alice/secret", 8),
                        new AclRule(AclAccess.WRITE, "x/y z", 12));
        assertThat(file.rulesFor(Optional.of("garage door")).orElseThrow())
                .containsExactly(new AclRule(AclAccess.READWRITE, "read", 10));
        assertThat(file.patterns())
                .containsExactly(
                        new AclPattern(AclAccess.READ, "devices/%c/cmd", 7),
                        new AclPattern(AclAccess.READ, "fixed/topic", 13));
        assertThat(file.warnings()).containsExactly("acl:13: pattern 'fixed/topic' contains neither %c nor %u");
        assertThat(file.rulesFor(Optional.of("bob"))).isEmpty();
    }

    @Test
    void patternExpansion() {
        AclPattern pattern = new AclPattern(AclAccess.READ, "a/%u/%c/%x/%%c/%", 1);
        assertThat(pattern.expand("cid", "usr")).isEqualTo("a/usr/cid/%x/%cid/%");
        assertThat(pattern.expand("cid", null)).isEqualTo("a/%u/cid/%x/%cid/%");
        assertThat(pattern.usesUsername()).isTrue();
    }

    private static AclFile parse(String content) throws AclFileException {
        return AclFile.parse("acl", content.getBytes(StandardCharsets.UTF_8));
    }
}
