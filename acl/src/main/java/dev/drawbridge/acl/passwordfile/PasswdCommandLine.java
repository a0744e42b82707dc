package dev.drawbridge.acl.passwordfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code mosquitto_passwd} 2.0 arguments exactly as it does: options {@code -b -c -D -U -H -I} first, in any
 * order, then the file, username and (with {@code -b}) password. A command-line tool only has to print
 * {@link Stop#result()} or, for {@link Run}, prompt for the password if {@linkplain PasswdCommand#needsPassword()
 * needed} and call {@link PasswordFileEditor#apply}.
 *
 * <p>As in {@code mosquitto_passwd}, {@code -U} always hashes with 101 iterations, whatever {@code -I} says.
 */
public final class PasswdCommandLine {

    /** The usage text {@code mosquitto_passwd} prints (without its trailing blank line). */
    public static final String USAGE = """
            mosquitto_passwd is a tool for managing password files for mosquitto.

            Usage: mosquitto_passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username
                   mosquitto_passwd [-H sha512 | -H sha512-pbkdf2] [-c] -b passwordfile username password
                   mosquitto_passwd -U passwordfile
             -b : run in batch mode to allow passing passwords on the command line.
             -c : create a new password file. This will overwrite existing files.
             -D : delete the username rather than adding/updating its password.
             -H : specify the hashing algorithm. Defaults to sha512-pbkdf2, which is recommended.
                  Mosquitto 1.6 and earlier defaulted to sha512.
             -U : update a plain text password file to use hashed passwords.

            See https://mosquitto.org/ for more information.""";

    private PasswdCommandLine() {}

    /** The outcome of reading the arguments. */
    public sealed interface Parsed permits Run, Stop {}

    /**
     * Arguments that make a command.
     *
     * @param command the command to apply (after prompting, if it needs a password)
     */
    public record Run(PasswdCommand command) implements Parsed {}

    /**
     * Arguments that end the program at once.
     *
     * @param result the exit code and the message to print
     */
    public record Stop(EditResult result) implements Parsed {}

    /**
     * Reads the arguments (without the program name).
     *
     * @param args the arguments
     * @return a command to run, or the result to exit with
     */
    public static Parsed parse(List<String> args) {
        if (args.isEmpty()) {
            return stop(USAGE);
        }
        boolean batch = false;
        boolean create = false;
        boolean delete = false;
        boolean upgrade = false;
        HashKind kind = HashKind.SHA512_PBKDF2;
        int iterations = PasswordHash.DEFAULT_ITERATIONS;
        int idx = 0;
        for (; idx < args.size(); idx++) {
            String arg = args.get(idx);
            if (arg.equals("-H") || arg.equals("-I")) {
                if (idx + 1 == args.size()) {
                    return stop("Error: " + arg + " argument given but not enough other arguments.");
                }
                String value = args.get(++idx);
                if (arg.equals("-H")) {
                    if (value.equals("sha512")) {
                        kind = HashKind.SHA512;
                    } else if (value.equals("sha512-pbkdf2")) {
                        kind = HashKind.SHA512_PBKDF2;
                    } else {
                        return stop("Error: Unknown hash type '" + value + "'");
                    }
                } else {
                    iterations = Tokens.atoi(value);
                    if (iterations < 1) {
                        return stop("Error: Number of iterations must be > 0.");
                    }
                }
            } else if (arg.equals("-b")) {
                batch = true;
            } else if (arg.equals("-c")) {
                create = true;
            } else if (arg.equals("-D")) {
                delete = true;
            } else if (arg.equals("-U")) {
                upgrade = true;
            } else {
                break;
            }
        }
        String conflict = create && delete
                ? "-c and -D"
                : create && upgrade
                        ? "-c and -U"
                        : delete && upgrade ? "-D and -U" : delete && batch ? "-b and -D" : null;
        if (conflict != null) {
            return stop("Error: " + conflict + " cannot be used together.");
        }
        List<String> rest = args.subList(idx, args.size());
        PasswdCommand command;
        if (create) {
            if (rest.size() < (batch ? 3 : 2)) {
                return stop(
                        batch
                                ? "Error: -c argument given but password file, username, or password missing."
                                : "Error: -c argument given but password file or username missing.");
            }
            command = build(PasswdCommand.Action.CREATE, rest, batch);
        } else if (delete) {
            if (rest.size() < 2) {
                return stop("Error: -D argument given but password file or username missing.");
            }
            command = build(PasswdCommand.Action.DELETE, rest, false);
        } else if (upgrade) {
            if (rest.size() != 1) {
                return stop("Error: -U argument given but password file missing.");
            }
            return new Run(PasswdCommand.upgrade(Path.of(rest.get(0))).withHash(kind, PasswordHash.DEFAULT_ITERATIONS));
        } else if (rest.size() == (batch ? 3 : 2)) {
            command = build(PasswdCommand.Action.SET, rest, batch);
        } else {
            return stop(USAGE);
        }
        return new Run(command.withHash(kind, iterations));
    }

    private static PasswdCommand build(PasswdCommand.Action action, List<String> rest, boolean batch) {
        return new PasswdCommand(
                action,
                Path.of(rest.get(0)),
                rest.get(1),
                batch ? Optional.of(rest.get(2)) : Optional.empty(),
                HashKind.SHA512_PBKDF2,
                PasswordHash.DEFAULT_ITERATIONS);
    }

    private static Parsed stop(String message) {
        return new Stop(EditResult.failure(message));
    }
}
