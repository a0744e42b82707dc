package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A console: a listener with {@code protocol http_api}, serving Drawbridge's pages in a browser instead of MQTT.
 *
 * @param usersWhere {@code FILE:LINE} of its {@code console_users} line, for errors found when the password file is read
 * @param listener its address, TLS ({@code certfile}/{@code keyfile}) and security: the console checks logins against
 *     this listener's {@code password_file}
 * @param users {@code console_users}: the users of that password file who may log in, at least one
 * @param caDirectory {@code console_ca_dir}: the {@code pki} CA directory of the devices page; empty without one
 * @param caDirectoryWhere {@code FILE:LINE} of the {@code console_ca_dir} line, for errors found when the CA is read
 */
public record ConsoleConfig(
        String usersWhere,
        ListenerConfig listener,
        List<String> users,
        Optional<Path> caDirectory,
        String caDirectoryWhere) {

    public ConsoleConfig {
        users = List.copyOf(users);
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a console needs at least one user");
        }
        if (listener.protocol() != ListenerConfig.Protocol.HTTP_API) {
            throw new IllegalArgumentException(
                    "a console listener has protocol http_api, found " + listener.protocol());
        }
    }

    /** A console without a CA directory. */
    public ConsoleConfig(String usersWhere, ListenerConfig listener, List<String> users) {
        this(usersWhere, listener, users, Optional.empty(), usersWhere);
    }
}
