package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConsoleConfig;
import dev.drawbridge.broker.console.BrokerView;
import dev.drawbridge.broker.console.Console;
import dev.drawbridge.broker.console.MqttListeners;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.ConsoleLogin;
import dev.drawbridge.broker.security.RulesException;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.TlsException;
import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts the {@code protocol http_api} listeners: each console's TLS and logins loaded first, all or none bound. */
final class Consoles {

    private Consoles() {}

    /** What {@code --test-config} checks: the TLS material and password file of every console. */
    static void check(BrokerConfig config, BrokerSecurity security) throws BrokerStartException, RulesException {
        for (ConsoleConfig console : config.consoles()) {
            tls(console);
            security.consoleLogin(console);
            checkCa(console);
        }
    }

    static List<Console> start(BrokerConfig config, BrokerSecurity security, BrokerView view, MqttListeners listeners)
            throws BrokerStartException {
        List<Console> started = new ArrayList<>();
        try {
            for (ConsoleConfig console : config.consoles()) {
                Optional<ServerTls> tls = tls(console);
                checkCa(console);
                ConsoleLogin login;
                try {
                    login = security.consoleLogin(console);
                } catch (RulesException e) {
                    throw new BrokerStartException(String.join("\n", e.problems()), e);
                }
                try {
                    started.add(Console.start(console, tls, login, view, listeners));
                } catch (IOException e) {
                    throw new BrokerStartException(String.valueOf(e.getMessage()), e);
                }
            }
            return List.copyOf(started);
        } catch (BrokerStartException | RuntimeException e) {
            started.forEach(Console::close);
            throw e;
        }
    }

    /**
     * The parser saw {@code ca.crt} and {@code ca.key} there; this reads the CA certificate, so that a directory whose
     * CA cannot be used refuses the start at the {@code console_ca_dir} line rather than failing on the page.
     */
    private static void checkCa(ConsoleConfig console) throws BrokerStartException {
        if (console.caDirectory().isEmpty()) {
            return;
        }
        try {
            X509Certificate ca =
                    PemFiles.readCertificate(console.caDirectory().get().resolve(CaDirectory.CA_CERTIFICATE));
            if (ca.getBasicConstraints() < 0) {
                throw new BrokerStartException(
                        console.caDirectoryWhere() + ": console_ca_dir: "
                                + console.caDirectory().get().resolve(CaDirectory.CA_CERTIFICATE)
                                + ": not a CA certificate (basicConstraints CA:true missing)",
                        null);
            }
        } catch (PkiException e) {
            throw new BrokerStartException(console.caDirectoryWhere() + ": console_ca_dir: " + e.getMessage(), e);
        }
    }

    private static Optional<ServerTls> tls(ConsoleConfig console) throws BrokerStartException {
        if (console.listener().tls().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerTls.load(console.listener().tls().get(), Clock.systemUTC(), true));
        } catch (TlsException e) {
            throw new BrokerStartException("listener " + console.listener().describe() + ": " + e.getMessage(), e);
        }
    }
}
