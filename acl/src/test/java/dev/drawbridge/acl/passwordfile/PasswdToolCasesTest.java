package dev.drawbridge.acl.passwordfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.acl.oracle.Identities;
import dev.drawbridge.acl.oracle.OracleTable;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows T01 to T26 of {@code passwd-tool-cases.tsv}, each run through {@link PasswdCommandLine} and
 * {@link PasswordFileEditor} on a file named {@code pw}: exit code, message, file content (hashes abbreviated as in the
 * oracle) and mode. The file before a row is the previous row's file afterwards, except where the oracle set up its
 * own file (listed in {@link #SETUP}). T27 (logins after {@code -U} twice) is {@link #upgradeTwiceHashesTheHash}.
 *
 * <p>Deliberate differences, asserted instead of the oracle's value:
 *
 * <ul>
 *   <li>T01: a file that did not exist is created with mode 0600, not 0644 (umask 022);
 *   <li>T16: the oracle's abbreviation hides the CR of the copied CRLF line; the line is copied byte for byte, as the
 *       real {@code mosquitto_passwd} 2.0.11 does, so it still ends in CRLF.
 * </ul>
 */
class PasswdToolCasesTest {

    private static final String HASH = "$7$101$<salt>$<hash>";
    private static final String MISSING = "(no file)";

    /** Files the oracle set up for a row instead of using the previous row's result. */
    private static final Map<String, String> SETUP = Map.of(
            "T01",
            MISSING,
            "T14",
            "# a comment line\nalice:" + HASH + "\n",
            "T15",
            "alice:" + HASH + "\n\ncarol:" + HASH + "\n",
            "T16",
            "alice:" + HASH + "\r\n",
            "T17",
            "alice:secret\nbob:secret2\n",
            "T24",
            MISSING,
            "T25",
            MISSING);

    private static final Map<String, List<String>> ARGS = Map.ofEntries(
            Map.entry("T01", List.of("-c", "-b", "FILE", "alice", "pw")),
            Map.entry("T02", List.of("-b", "FILE", "bob", "pw")),
            Map.entry("T03", List.of("-b", "FILE", "alice", "new")),
            Map.entry("T04", List.of("-c", "-b", "FILE", "carol", "pw")),
            Map.entry("T05", List.of("-b", "FILE", "", "pw")),
            Map.entry("T06", List.of("-b", "FILE", "dave", "pw")),
            Map.entry("T07", List.of("-c", "-b", "FILE", "a:b", "pw")),
            Map.entry("T08", List.of("-c", "-b", "FILE", "a\u0001b", "pw")),
            Map.entry("T09", List.of("-c", "-b", "FILE", "a+b#c/d e", "pw")),
            Map.entry("T10", List.of("-D", "FILE", "a+b#c/d e")),
            Map.entry("T11", List.of("-D", "FILE", "ghost")),
            Map.entry("T12", List.of("-b", "-D", "FILE", "alice", "x")),
            Map.entry("T13", List.of("-c", "-D", "FILE", "alice")),
            Map.entry("T14", List.of("-b", "FILE", "bob", "pw")),
            Map.entry("T15", List.of("-b", "FILE", "bob", "pw")),
            Map.entry("T16", List.of("-b", "FILE", "bob", "pw")),
            Map.entry("T17", List.of("-U", "FILE")),
            Map.entry("T18", List.of("-U", "FILE")),
            Map.entry("T19", List.of("-c", "-H", "sha512", "-b", "FILE", "alice", "pw")),
            Map.entry("T20", List.of("-c", "-H", "md5", "-b", "FILE", "alice", "pw")),
            Map.entry("T21", List.of("-c", "-I", "0", "-b", "FILE", "alice", "pw")),
            Map.entry("T22", List.of("-c", "-I", "5000", "-b", "FILE", "alice", "pw")),
            Map.entry("T23", List.of("-b", "FILE", "alice", "pw")),
            Map.entry("T24", List.of("-c", "-b", "FILE", "alice", "p".repeat(65536))),
            Map.entry("T25", List.of()),
            Map.entry("T26", List.of("-U", "FILE", "alice")));

    private final PasswordFileEditor editor = new PasswordFileEditor(new SecureRandom());

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        String previous = MISSING;
        for (OracleTable.Row row : OracleTable.read("passwd-tool-cases.tsv")) {
            String id = row.get("case");
            if (!ARGS.containsKey(id)) {
                continue;
            }
            String after = OracleTable.unescape(row.get("file_after"));
            String before = SETUP.getOrDefault(id, row.get("exit_code").equals("1") ? after : previous);
            cases.add(Arguments.of(id, row, before));
            previous = after;
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void editorMatchesMosquittoPasswd(String id, OracleTable.Row row, String before, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("pw");
        if (!before.equals(MISSING)) {
            Files.write(file, withRealHashes(before).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> args = ARGS.get(id).stream()
                .map(a -> a.equals("FILE") ? file.toString() : a)
                .toList();

        PasswdCommandLine.Parsed parsed = PasswdCommandLine.parse(args);
        EditResult result = parsed instanceof PasswdCommandLine.Run run
                ? editor.apply(run.command())
                : ((PasswdCommandLine.Stop) parsed).result();

        assertThat(result.exitCode()).isEqualTo(Integer.parseInt(row.get("exit_code")));
        assertThat(result.message())
                .isEqualTo(OracleTable.unescape(row.get("output")).replace("TMPDIR/pw", file.toString()));
        String after = OracleTable.unescape(row.get("file_after"));
        if (after.equals(MISSING)) {
            assertThat(file).doesNotExist();
            return;
        }
        String expected = id.equals("T16") ? after.replaceFirst("\n", "\r\n") : after;
        assertThat(abbreviate(Files.readString(file, StandardCharsets.UTF_8))).isEqualTo(expected);
        String mode = before.equals(MISSING) ? "rw-------" : "rw-r--r--";
        assertThat(row.get("file_mode")).isEqualTo("0o644");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo(mode);
        assertThat(dir).isDirectoryNotContaining(p -> !p.equals(file));
    }

    @Test
    void upgradeTwiceHashesTheHash(@TempDir Path dir) throws Exception {
        // T27: after -U twice, the original password fails and the first run's hash string works as a password.
        Path file = dir.resolve("pw");
        Files.writeString(file, "alice:secret\n");
        assertThat(editor.apply(PasswdCommand.upgrade(file)).exitCode()).isZero();
        String firstHash = Files.readString(file).trim().substring("alice:".length());
        assertThat(editor.apply(PasswdCommand.upgrade(file)).exitCode()).isZero();

        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(PasswordFile.load(file));
        assertThat(login(authenticator, "secret")).isEqualTo(Decision.Verdict.DENY);
        assertThat(login(authenticator, firstHash)).isEqualTo(Decision.Verdict.ALLOW);
    }

    @Test
    void upgradedPlainTextFileVerifiesOriginalPasswords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "alice:secret\nbob : secret2 \n");
        assertThat(editor.apply(PasswdCommand.upgrade(file))).isEqualTo(new EditResult(0, ""));
        PasswordFileAuthenticator authenticator = new PasswordFileAuthenticator(PasswordFile.load(file));
        assertThat(login(authenticator, "secret")).isEqualTo(Decision.Verdict.ALLOW);
        assertThat(authenticator
                        .authenticate(new ConnectRequest(
                                Identities.user("bob", "c"), Optional.of("secret2".getBytes(StandardCharsets.UTF_8))))
                        .verdict())
                .isEqualTo(Decision.Verdict.ALLOW);
    }

    private static Decision.Verdict login(PasswordFileAuthenticator authenticator, String password) {
        return authenticator
                .authenticate(new ConnectRequest(
                        Identities.user("alice", "c"), Optional.of(password.getBytes(StandardCharsets.UTF_8))))
                .verdict();
    }

    private String withRealHashes(String content) {
        String sha512 = PasswordHash.create(HashKind.SHA512, 0, new byte[] {'p', 'w'}, new SecureRandom())
                .encode();
        String pbkdf2 = PasswordHash.create(HashKind.SHA512_PBKDF2, 101, new byte[] {'p', 'w'}, new SecureRandom())
                .encode();
        return content.replace("$6$<salt>$<hash>", sha512).replace(HASH, pbkdf2);
    }

    static String abbreviate(String content) {
        return content.replaceAll(
                        "\\$7\\$(\\d+)\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==", "\\$7\\$$1\\$<salt>\\$<hash>")
                .replaceAll("\\$6\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==", "\\$6\\$<salt>\\$<hash>");
    }
}
