package dev.drawbridge.broker.cli;

import dev.drawbridge.acl.passwordfile.EditResult;
import dev.drawbridge.acl.passwordfile.PasswdCommand;
import dev.drawbridge.acl.passwordfile.PasswdCommandLine;
import dev.drawbridge.acl.passwordfile.PasswordFileEditor;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar drawbridge.jar passwd ...}: {@code mosquitto_passwd} with the same arguments, prompts and files.
 * Without {@code -b} the password is asked twice on the terminal (or read as two lines from standard input when there
 * is no terminal, for scripts); it never appears on the command line or in a log.
 */
final class PasswdTool {

    private final @Nullable Console console;
    private final BufferedReader stdin;
    private final PrintStream out;
    private final PrintStream err;

    PasswdTool(@Nullable Console console, BufferedReader stdin, PrintStream out, PrintStream err) {
        this.console = console;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        PasswdCommandLine.Parsed parsed = PasswdCommandLine.parse(args);
        if (parsed instanceof PasswdCommandLine.Stop stop) {
            return report(stop.result());
        }
        PasswdCommand command = ((PasswdCommandLine.Run) parsed).command();
        if (command.needsPassword()) {
            String first = ask("Password: ");
            String second = first == null ? null : ask("Reenter password: ");
            if (first == null || second == null) {
                err.println("Error: No password given.");
                return 1;
            }
            if (!first.equals(second)) {
                err.println("Error: Passwords do not match.");
                return 1;
            }
            if (first.isEmpty()) {
                err.println("Error: Empty password.");
                return 1;
            }
            command = command.withPassword(first);
        }
        return report(new PasswordFileEditor().apply(command));
    }

    private @Nullable String ask(String prompt) {
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? null : new String(typed);
        }
        try {
            return stdin.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private int report(EditResult result) {
        String message = result.message().replace("mosquitto_passwd", "java -jar drawbridge.jar passwd");
        if (!message.isEmpty()) {
            (result.exitCode() == 0 ? out : err).println(message);
        }
        return result.exitCode();
    }
}
