package dev.drawbridge.broker;

import dev.drawbridge.broker.conf.BrokerConfig;
import dev.drawbridge.broker.conf.ConsoleConfig;
import dev.drawbridge.broker.console.BrokerView;
import dev.drawbridge.broker.console.Console;
import dev.drawbridge.broker.security.BrokerSecurity;
import dev.drawbridge.broker.security.ConsoleLogin;
import dev.drawbridge.broker.security.RulesException;
import dev.drawbridge.broker.tls.ServerTls;
import dev.drawbridge.broker.tls.TlsException;
import java.io.IOException;
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
        }
    }

    static List<Console> start(BrokerConfig config, BrokerSecurity security, BrokerView view)
            throws BrokerStartException {
        List<Console> started = new ArrayList<>();
        try {
            for (ConsoleConfig console : config.consoles()) {
                Optional<ServerTls> tls = tls(console);
                ConsoleLogin login;
                try {
                    login = security.consoleLogin(console);
                } catch (RulesException e) {
                    throw new BrokerStartException(String.join("\n", e.problems()), e);
                }
                try {
                    started.add(Console.start(console, tls, login, view));
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

    private static Optional<ServerTls> tls(ConsoleConfig console) throws BrokerStartException {
        if (console.listener().tls().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerTls.load(console.listener().tls().get(), Clock.systemUTC()));
        } catch (TlsException e) {
            throw new BrokerStartException("listener " + console.listener().describe() + ": " + e.getMessage(), e);
        }
    }
}
