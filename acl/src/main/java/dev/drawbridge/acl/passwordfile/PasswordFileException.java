package dev.drawbridge.acl.passwordfile;

import java.io.IOException;

/** A password file that cannot be used; the message starts with the file's name. */
public final class PasswordFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message {@code FILE: reason}
     * @param cause the I/O failure
     */
    public PasswordFileException(String message, IOException cause) {
        super(message, cause);
    }
}
