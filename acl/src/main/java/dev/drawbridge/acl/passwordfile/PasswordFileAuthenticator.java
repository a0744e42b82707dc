package dev.drawbridge.acl.passwordfile;

import dev.drawbridge.acl.spi.Authenticator;
import dev.drawbridge.acl.spi.ConnectRequest;
import dev.drawbridge.acl.spi.Decision;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks usernames and passwords against a {@link PasswordFile} as the Mosquitto 2.0 broker does:
 *
 * <ul>
 *   <li>no username, or a zero-length one: abstain (an anonymous client; {@code allow_anonymous} decides);
 *   <li>a user not in the file: deny;
 *   <li>no password field, or a zero-length one: deny;
 *   <li>otherwise the password is hashed up to its first zero byte (Mosquitto handles it as a C string) and compared in
 *       constant time.
 * </ul>
 *
 * <p>For an unknown user a dummy hash is still computed, so that response time does not reveal which users exist.
 */
public final class PasswordFileAuthenticator implements Authenticator {

    private static final PasswordHash DUMMY = PasswordHash.create(
            HashKind.SHA512_PBKDF2, PasswordHash.DEFAULT_ITERATIONS, new byte[0], new SecureRandom());

    private final PasswordFile file;

    /**
     * Creates the authenticator.
     *
     * @param file the users and their hashes
     */
    public PasswordFileAuthenticator(PasswordFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public Decision authenticate(ConnectRequest request) {
        Optional<String> username = request.identity().effectiveUsername();
        if (username.isEmpty()) {
            return Decision.abstain("anonymous client");
        }
        Optional<PasswordHash> stored = file.hashOf(username.get());
        Optional<byte[]> password = request.password().filter(p -> p.length > 0);
        if (stored.isEmpty()) {
            DUMMY.verify(password.orElse(new byte[0]));
            return Decision.deny("unknown user");
        }
        if (password.isEmpty()) {
            return Decision.deny("no password given");
        }
        byte[] bytes = password.get();
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        boolean matches = stored.get().verify(Arrays.copyOf(bytes, end));
        Arrays.fill(bytes, (byte) 0);
        return matches ? Decision.allow("password matches") : Decision.deny("wrong password");
    }
}
