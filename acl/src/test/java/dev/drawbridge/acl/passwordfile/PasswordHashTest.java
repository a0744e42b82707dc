package dev.drawbridge.acl.passwordfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHashTest {

    private static final String SALT = "c2FsdHNhbHRzYWx0";
    private static final String HASH =
            "LLKkEbEE6A0ZzBgDD1a8DxtZgwjUsWayIyP80udI8/oy/V5JrBisQZnPkSqa7DTcD2GFAT9Bqc/9Z8XDXv/2PA==";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no pieces          | $$                     | invalid password hash
            unknown type       | $5$x$y                 | invalid password hash type
            plain text         | pw                     | invalid password hash type
            no iterations      | $7$                    | invalid password hash
            zero iterations    | $7$0$s$h               | invalid hash iterations
            letters            | $7$abc$s$h             | invalid hash iterations
            overflow to -1     | $7$99999999999999999999$s$h | invalid hash iterations
            no salt            | $7$101                 | invalid password hash
            short salt         | $7$101$MDEyMzQ1Njc4OWE=$h | unable to decode password salt
            unpadded salt      | $7$101$MDEyMzQ1Njc4OWE$h  | unable to decode password salt
            no hash            | $6$c2FsdHNhbHRzYWx0    | invalid password hash
            bad hash           | $6$c2FsdHNhbHRzYWx0$!!!! | unable to decode password
            """)
    void refusesWhatMosquittoRefuses(String description, String field, String reason) {
        assertThatThrownBy(() -> PasswordHash.decode(field))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"$7$101abc$", "$7$+101$", "$7$ 101$", "$$7$$101$$", "7$101$"})
    void acceptsWhatMosquittoAccepts(String prefix) {
        PasswordHash hash = PasswordHash.decode(prefix + SALT + "$" + HASH + "$extra");
        assertThat(hash.iterations()).isEqualTo(101);
        assertThat(hash.verify("pw".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void createdHashesRoundTrip() {
        SecureRandom random = new SecureRandom();
        byte[] password = {(byte) 0xff, 0, 'x'};
        for (HashKind kind : HashKind.values()) {
            PasswordHash hash = PasswordHash.create(kind, 7, password, random);
            assertThat(PasswordHash.decode(hash.encode())).isEqualTo(hash);
            assertThat(hash.verify(password)).isTrue();
            assertThat(hash.verify(new byte[] {(byte) 0xff})).isFalse();
            assertThat(hash.salt()).hasSize(12);
            assertThat(hash.toString()).doesNotContain(hash.encode());
        }
        assertThat(PasswordHash.create(HashKind.SHA512_PBKDF2, 101, password, random)
                        .encode())
                .matches("\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
    }

    @Test
    void unreadableFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> PasswordFile.load(dir.resolve("missing")))
                .isInstanceOf(PasswordFileException.class)
                .hasMessageEndingWith("missing: unable to read password file: No such file or directory");
    }

    @Test
    void duplicateUserLastUsableLineCountsAndIsReported() {
        String good = "$7$101$" + SALT + "$" + HASH;
        PasswordFile file = PasswordFile.parse(
                "pw", ("alice:$7$0$x$y\nalice:" + good + "\nalice:$5$bad\n").getBytes(StandardCharsets.UTF_8));
        assertThat(file.hashOf("alice").orElseThrow().verify("pw".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(file.warnings())
                .containsExactly(
                        "pw:1: invalid hash iterations for user alice, removing entry",
                        "pw:3: invalid password hash type for user alice, removing entry");
    }
}
