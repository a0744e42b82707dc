package dev.drawbridge.acl.aclfile;

import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An ACL file Mosquitto would refuse: every problem found, each as {@code FILE:LINE: reason}. */
public final class AclFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /**
     * Creates the exception.
     *
     * @param errors the problems, at least one
     * @param cause the I/O failure, if that was the problem
     */
    public AclFileException(List<String> errors, @Nullable IOException cause) {
        super(String.join("\n", errors), cause);
        this.errors = List.copyOf(errors);
    }

    /**
     * The problems.
     *
     * @return immutable {@code FILE:LINE: reason} messages in file order
     */
    public List<String> errors() {
        return errors;
    }
}
