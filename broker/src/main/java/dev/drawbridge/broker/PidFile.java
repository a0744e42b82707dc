package dev.drawbridge.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code pid_file}: written at start, removed at stop. */
final class PidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

    private final Optional<Path> path;

    private PidFile(Optional<Path> path) {
        this.path = path;
    }

    static PidFile write(Optional<Path> path) throws IOException {
        if (path.isPresent()) {
            Files.writeString(path.get(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }
        return new PidFile(path);
    }

    void remove() {
        path.ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Cannot remove pid_file {}: {}", p, e.getMessage());
            }
        });
    }
}
