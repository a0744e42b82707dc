package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.it.console.ConsoleBroker.Browser;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client list names a client's listener by the port the client connected to. */
class ConsoleClientsIT {

    @TempDir
    Path dir;

    private ConsoleBroker console;

    @BeforeEach
    void start() {
        console = ConsoleBroker.start(dir);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void aListenerAskedForPortZeroIsShownByThePortItGot() throws Exception {
        try (ClientProcess sensor =
                MosquittoClients.subscribed(console.mqttPort(), "-i", "sensor", "-t", "home/#", "-q", "1")) {
            Browser admin = console.browser();
            admin.login("admin", PASSWORD);
            String clients = admin.get("/api/clients").body();
            assertThat(clients)
                    .contains("\"id\":\"sensor\"")
                    .contains("\"listener\":\"" + console.mqttPort() + "\"")
                    .doesNotContain("\"listener\":\"0\"");
            assertThat(admin.get("/clients").body()).contains("<td>" + console.mqttPort() + "</td>");
            assertThat(sensor.isAlive()).isTrue();
        }
    }
}
