package dev.drawbridge.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LogLineLayoutTest {

    private static final String NL = System.lineSeparator();
    /** 2026-12-07T14:46:06.250Z: a time with non-zero seconds, so LocalDateTime prints them. */
    private static final Instant AT = Instant.parse("2026-12-07T14:46:06.250Z");

    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(Instant at, String message, @Nullable Throwable thrown, Object... args) {
        LoggingEvent event =
                new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.INFO, message, thrown, args);
        event.setTimeStamp(at.toEpochMilli());
        return event;
    }

    private static String localSecond(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneId.systemDefault()).withNano(0).toString();
    }

    @Test
    void timestampedLineIsTheLocalSecondAColonAndTheFormattedMessage() {
        LogLineLayout layout = new LogLineLayout(true);

        String line = layout.doLayout(event(AT, "Client {} disconnected.", null, "c1"));

        assertThat(line).isEqualTo(localSecond(AT) + ": Client c1 disconnected." + NL);
    }

    @Test
    void withoutTimestampTheLineIsTheMessageAlone() {
        assertThat(new LogLineLayout(false).doLayout(event(AT, "Client {} disconnected.", null, "c1")))
                .isEqualTo("Client c1 disconnected." + NL);
    }

    @Test
    void eachLineCarriesItsOwnSecond() {
        LogLineLayout layout = new LogLineLayout(true);
        Instant later = AT.plusSeconds(61);

        assertThat(layout.doLayout(event(AT, "a", null))).startsWith(localSecond(AT) + ": ");
        assertThat(layout.doLayout(event(later, "b", null))).startsWith(localSecond(later) + ": ");
        assertThat(layout.doLayout(event(AT.plusMillis(500), "c", null))).startsWith(localSecond(AT) + ": ");
    }

    @Test
    void aLoggedExceptionFollowsTheMessageWithItsStack() {
        String line = new LogLineLayout(true).doLayout(event(AT, "store failed", new IllegalStateException("disk")));

        assertThat(line)
                .startsWith(localSecond(AT) + ": store failed" + NL + "java.lang.IllegalStateException: disk" + NL)
                .contains("\tat dev.drawbridge.broker.logging.LogLineLayoutTest")
                .endsWith(NL);
    }
}
