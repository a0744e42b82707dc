package dev.drawbridge.acl.passwordfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Edits password files with {@code mosquitto_passwd} 2.0's semantics and messages (see {@link PasswdRewrite}), writing
 * {@code $7$} lines with 101 iterations and a 12-byte random salt by default.
 *
 * <p>Two deliberate differences, both safer: the file is replaced atomically (a temporary file in the same folder,
 * then an atomic rename) instead of being rewritten in place, so a crash never leaves half a file; and a file that did
 * not exist is created with mode 0600 (owner only) instead of 0666 minus the umask. An existing file keeps its mode; a
 * symbolic link is followed and its target replaced, as {@code mosquitto_passwd} writes through {@code realpath}.
 */
public final class PasswordFileEditor {

    private static final int MAX_LENGTH = 65_535;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecureRandom random;

    /** Creates an editor with a new {@link SecureRandom} for salts. */
    public PasswordFileEditor() {
        this(new SecureRandom());
    }

    /**
     * Creates an editor.
     *
     * @param random where salts come from
     */
    public PasswordFileEditor(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Runs one operation.
     *
     * @param command what to do; must not {@linkplain PasswdCommand#needsPassword() need a password}
     * @return the exit code and message {@code mosquitto_passwd} would give; with exit code 1 the file is unchanged
     * @throws IllegalArgumentException if the command still needs a password
     */
    public EditResult apply(PasswdCommand command) {
        if (command.needsPassword()) {
            throw new IllegalArgumentException("command needs a password: prompt for it first");
        }
        String refusal = refusal(command);
        if (refusal != null) {
            return EditResult.failure(refusal);
        }
        PasswdRewrite rewrite = new PasswdRewrite(command.hashKind(), command.iterations(), random);
        String username = PasswdRewrite.asLatin1(command.username());
        byte[] password = command.password().orElse("").getBytes(StandardCharsets.UTF_8);
        Path file = command.file();
        if (command.action() == PasswdCommand.Action.CREATE) {
            PasswdRewrite.Outcome outcome = rewrite.set("", username, password);
            return write(file, outcome, "Error: Unable to open file " + file + " for writing. ");
        }
        String content;
        try {
            content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return EditResult.failure(
                    "Error: Unable to open password file " + file + ". " + IoMessages.describe(e) + ".");
        }
        PasswdRewrite.Outcome outcome = switch (command.action()) {
            case SET -> rewrite.set(content, username, password);
            case DELETE -> rewrite.delete(content, username);
            case UPGRADE -> rewrite.upgrade(content);
            case CREATE -> throw new IllegalStateException("handled above");
        };
        if (outcome.exitCode() != 0) {
            return new EditResult(outcome.exitCode(), String.join("\n", outcome.messages()));
        }
        return write(file, outcome, "Error occurred updating password file. ");
    }

    private static @Nullable String refusal(PasswdCommand command) {
        if (command.action() != PasswdCommand.Action.UPGRADE) {
            String username = command.username();
            if (username.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
                return "Error: Username must be less than 65536 characters long.";
            }
            if (username.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return "Error: Username must not contain control characters.";
            }
            if (username.indexOf(':') >= 0) {
                return "Error: Username must not contain the ':' character.";
            }
        }
        if (command.password().orElse("").getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "Error: Password must be less than 65536 characters long.";
        }
        return null;
    }

    private EditResult write(Path file, PasswdRewrite.Outcome outcome, String failurePrefix) {
        try {
            replace(file, outcome.content().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return EditResult.failure(failurePrefix + IoMessages.describe(e) + ".");
        }
        return new EditResult(0, String.join("\n", outcome.messages()));
    }

    /** Replaces the file atomically; a new file gets mode 0600, an existing one keeps its mode. */
    private void replace(Path file, byte[] content) throws IOException {
        Path target = file;
        Set<PosixFilePermission> mode = null;
        try {
            target = file.toRealPath();
            if (posix(target)) {
                mode = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException e) {
            // A new file: created owner-only below.
        }
        Path folder = Objects.requireNonNull(target.toAbsolutePath().getParent(), "an absolute path has a parent");
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        Path temporary =
                folder.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
        if (posix(folder)) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(temporary);
        }
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (mode != null) {
                Files.setPosixFilePermissions(temporary, mode);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
