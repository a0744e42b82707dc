package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.console.BrokerView.ClientRow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a client or a log line sends is shown as text: escaped in the HTML and in the JSON, never markup. */
class PagesTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";

    @Test
    void aHostileClientIdIsEscapedInThePageAndInTheJson() {
        ClientRow row = new ClientRow(HOSTILE, HOSTILE, "127.0.0.1:1", "1883", 4, Optional.empty(), 0, 0);

        String page = Pages.clients("token", "admin", HOSTILE, List.of(row));
        String json = ConsoleJson.clients(List.of(row));

        assertThat(page).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
        assertThat(json)
                .doesNotContain("<")
                .doesNotContain(">")
                .contains("\\u003cimg src=x onerror=alert(1)\\u003e\\\"'\\u0026");
    }

    @Test
    void theClientSearchMatchesClientIdUserOrAddress() {
        ClientRow row = new ClientRow("garage-door", "opener", "192.168.1.20:5000", "1883", 5, Optional.empty(), 1, 0);

        assertThat(List.of("GARAGE", "opener", "192.168.1.20")).allMatch(row::matches);
        assertThat(row.matches("kitchen")).isFalse();
        assertThat(row.protocol()).isEqualTo("5.0");
    }

    @Test
    void aHostileLogLineIsEscaped() {
        LogRing.Line line = new LogRing.Line(java.time.Instant.EPOCH, "INFO", "connections", HOSTILE + "\n");

        assertThat(Pages.log("token", "admin", "", List.of(line))).doesNotContain("<img");
        assertThat(ConsoleJson.log(List.of(line))).doesNotContain("<img").contains("\\n");
    }

    @Test
    void onlyLoopbackHostNamesPassTheHostCheck() {
        assertThat(List.of("localhost", "localhost:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "LOCALHOST"))
                .allMatch(ConsoleHandler::loopbackHost);
        assertThat(List.of("evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "[::2]", "10.0.0.1"))
                .noneMatch(ConsoleHandler::loopbackHost);
        assertThat(ConsoleHandler.loopbackHost(null)).isFalse();
    }
}
