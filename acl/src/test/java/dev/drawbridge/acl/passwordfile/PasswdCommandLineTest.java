package dev.drawbridge.acl.passwordfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswdCommandLineTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -c -U f                  | Error: -c and -U cannot be used together.
            -D -U f u                | Error: -D and -U cannot be used together.
            -H                       | Error: -H argument given but not enough other arguments.
            -I                       | Error: -I argument given but not enough other arguments.
            -I x -b f u p            | Error: Number of iterations must be > 0.
            -c -b f u                | Error: -c argument given but password file, username, or password missing.
            -c f                     | Error: -c argument given but password file or username missing.
            -D f                     | Error: -D argument given but password file or username missing.
            -b f u                   | USAGE
            f                        | USAGE
            """)
    void refuses(String args, String message) {
        PasswdCommandLine.Parsed parsed = PasswdCommandLine.parse(List.of(args.split(" ")));
        assertThat(parsed)
                .isEqualTo(new PasswdCommandLine.Stop(
                        new EditResult(1, message.equals("USAGE") ? PasswdCommandLine.USAGE : message)));
    }

    @Test
    void interactiveSetNeedsAPromptedPassword() {
        PasswdCommandLine.Parsed parsed = PasswdCommandLine.parse(List.of("-H", "sha512", "f", "alice"));
        PasswdCommand command = ((PasswdCommandLine.Run) parsed).command();
        assertThat(command.needsPassword()).isTrue();
        assertThat(command.hashKind()).isEqualTo(HashKind.SHA512);
        assertThat(command.withPassword("s").needsPassword()).isFalse();
        assertThat(command.withPassword("secret").toString()).doesNotContain("secret");
    }

    @Test
    void upgradeIgnoresIterations() {
        PasswdCommandLine.Parsed parsed = PasswdCommandLine.parse(List.of("-I", "5000", "-U", "f"));
        assertThat(parsed)
                .isEqualTo(new PasswdCommandLine.Run(new PasswdCommand(
                        PasswdCommand.Action.UPGRADE,
                        Path.of("f"),
                        "",
                        Optional.empty(),
                        HashKind.SHA512_PBKDF2,
                        PasswordHash.DEFAULT_ITERATIONS)));
    }
}
