package dev.drawbridge.broker.conf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code persistence}, {@code persistence_location}, {@code persistence_file}, {@code autosave_interval},
 * {@code persistent_client_expiration}, {@code persistence_mode}.
 *
 * @param location the directory that holds the store
 * @param file the store's file name inside {@code location}
 * @param clientExpiration how long a persistent client that stays away keeps its session; empty for ever
 * @param durable true ({@code persistence_mode durable}, the default): an acknowledgement leaves only when what it
 *     acknowledges is on disk; false ({@code autosave}): the store is saved every {@code autosave_interval}
 */
public record PersistenceConfig(
        boolean enabled,
        Path location,
        String file,
        Duration autosaveInterval,
        Optional<Duration> clientExpiration,
        boolean durable) {

    /** Sessions of persistent clients never expire (Mosquitto's default); acknowledgements wait for the disk. */
    public PersistenceConfig(boolean enabled, Path location, String file, Duration autosaveInterval) {
        this(enabled, location, file, autosaveInterval, Optional.empty(), true);
    }

    public static PersistenceConfig disabled() {
        return new PersistenceConfig(false, Path.of("."), "mosquitto.db", Duration.ofMinutes(30));
    }
}
