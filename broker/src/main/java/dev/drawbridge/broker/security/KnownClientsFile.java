package dev.drawbridge.broker.security;

import dev.drawbridge.acl.spi.CertificateIdentity;
import dev.drawbridge.acl.spi.ClientIdentity;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the persistent sessions belong to, kept beside the message store: after a restart, messages for a client that
 * has not reconnected yet are checked against its own ACL rights (the store itself does not keep usernames). Written
 * in the background, atomically, when a persistent session's identity changes.
 */
final class KnownClientsFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnownClientsFile.class);

    private final Path file;
    private final Map<String, ClientIdentity> identities = new LinkedHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "drawbridge-known-clients");
        t.setDaemon(true);
        return t;
    });

    private KnownClientsFile(Path file) {
        this.file = file;
    }

    /** Reads the file if it exists; a damaged file is logged and treated as empty (those clients fail closed). */
    static KnownClientsFile open(Path file) {
        KnownClientsFile known = new KnownClientsFile(file);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
                for (String id : p.stringPropertyNames()) {
                    if (id.endsWith(".listener")) {
                        String clientId = id.substring(0, id.length() - ".listener".length());
                        known.identities.put(clientId, read(p, clientId));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "{}: cannot read the known clients ({}); their queued messages wait for them to reconnect.",
                        file,
                        e.toString());
            }
        }
        return known;
    }

    private static ClientIdentity read(Properties p, String id) {
        Optional<String> user = Optional.ofNullable(p.getProperty(id + ".username"));
        Optional<CertificateIdentity> cert = Optional.ofNullable(p.getProperty(id + ".subject"))
                .map(subject -> new CertificateIdentity(subject, p.getProperty(id + ".sha256", "")));
        return new ClientIdentity(id, user, cert, p.getProperty(id + ".listener"), "offline", 4);
    }

    synchronized Map<String, ClientIdentity> all() {
        return Map.copyOf(identities);
    }

    /** A persistent session's owner, as of its latest connect. */
    synchronized void remember(ClientIdentity identity) {
        ClientIdentity old = identities.get(identity.clientId());
        if (old != null
                && old.username().equals(identity.username())
                && old.listener().equals(identity.listener())
                && old.certificate().equals(identity.certificate())) {
            return;
        }
        identities.put(identity.clientId(), identity);
        save();
    }

    synchronized void forget(String clientId) {
        if (identities.remove(clientId) != null) {
            save();
        }
    }

    private void save() {
        Properties p = new Properties();
        identities.forEach((id, identity) -> {
            p.setProperty(id + ".listener", identity.listener());
            identity.username().ifPresent(u -> p.setProperty(id + ".username", u));
            identity.certificate().ifPresent(c -> {
                p.setProperty(id + ".subject", c.subject());
                p.setProperty(id + ".sha256", c.sha256Fingerprint());
            });
        });
        writer.execute(() -> write(p));
    }

    private void write(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(out, "Owners of persistent sessions; written by the broker");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("{}: cannot save the known clients: {}", file, e.toString());
        }
    }

    /** Finishes pending writes (a few milliseconds) so a clean stop leaves the file current. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("{}: the last known-clients write did not finish.", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
