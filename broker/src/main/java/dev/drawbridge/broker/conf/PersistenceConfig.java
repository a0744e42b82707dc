package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code persistence}, {@code persistence_location}, {@code persistence_file}, {@code autosave_interval},
 * {@code persistent_client_expiration}.
 *
 * @param location the directory that holds the store
 * @param file the store's file name inside {@code location}
 * @param clientExpiration how long a persistent client that stays away keeps its session; empty for ever
 */
public record PersistenceConfig(
        boolean enabled, Path location, String file, Duration autosaveInterval, Optional<Duration> clientExpiration) {

    /** Sessions of persistent clients never expire (Mosquitto's default). */
    public PersistenceConfig(boolean enabled, Path location, String file, Duration autosaveInterval) {
        this(enabled, location, file, autosaveInterval, Optional.empty());
    }

    public static PersistenceConfig disabled() {
        return new PersistenceConfig(false, Path.of("."), "mosquitto.db", Duration.ofMinutes(30));
    }
}
