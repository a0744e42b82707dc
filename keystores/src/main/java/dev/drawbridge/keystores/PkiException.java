package dev.drawbridge.keystores;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A key, certificate or CRL could not be read, made or written. The message starts with the file concerned when
 * there is one ({@code ca.crt: not a PEM certificate (found 'BEGIN PRIVATE KEY')}) and never contains key material.
 */
public final class PkiException extends Exception {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A problem with {@code file}: the message is {@code file + ": " + problem}. */
    public static PkiException forFile(Path file, String problem) {
        return new PkiException(file + ": " + problem);
    }

    /** A problem with {@code file} caused by {@code cause}. */
    public static PkiException forFile(Path file, String problem, @Nullable Throwable cause) {
        return new PkiException(file + ": " + problem, cause);
    }
}
