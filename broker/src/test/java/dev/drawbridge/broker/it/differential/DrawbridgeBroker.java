package dev.drawbridge.broker.it.differential;

import dev.drawbridge.broker.Drawbridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Drawbridge in-process with the configuration a differential script gives Mosquitto, on a port the OS picks. */
public final class DrawbridgeBroker {

    private DrawbridgeBroker() {}

    /**
     * Writes {@code mosquitto.conf} into the folder ({@code listener 0 127.0.0.1}, {@code allow_anonymous true}, then
     * the extra lines) and starts a broker from it; the caller closes it.
     */
    public static Drawbridge start(Path dir, List<String> extraLines) {
        List<String> conf = new ArrayList<>(List.of("listener 0 127.0.0.1", "allow_anonymous true"));
        conf.addAll(extraLines);
        try {
            Files.createDirectories(dir);
            return Drawbridge.start(Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("Drawbridge did not start with " + conf + ": " + e.getMessage(), e);
        }
    }
}
