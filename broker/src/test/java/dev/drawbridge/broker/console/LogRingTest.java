package dev.drawbridge.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The log page's ring: INFO and above, newest first, the oldest line dropped past its capacity, filtered. */
class LogRingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    private void log(LogRing ring, String logger, Level level, String message) {
        ring.doAppend(new LoggingEvent(
                LogRingTest.class.getName(), context.getLogger(logger), level, message, null, new Object[0]));
    }

    @Test
    void keepsTheNewestLinesAtInfoAndAboveUpToItsCapacity() {
        LogRing ring = new LogRing();
        ring.setContext(context);
        ring.start();
        log(ring, "dev.drawbridge.broker.connections", Level.DEBUG, "a debug line");
        for (int i = 0; i < LogRing.CAPACITY + 5; i++) {
            log(ring, "dev.drawbridge.broker.connections", Level.INFO, "line " + i);
        }

        var all = ring.recent("", Integer.MAX_VALUE);

        assertThat(all).hasSize(LogRing.CAPACITY);
        assertThat(all.get(0).message()).as("newest first").isEqualTo("line " + (LogRing.CAPACITY + 4));
        assertThat(all.get(all.size() - 1).message()).as("the oldest kept").isEqualTo("line 5");
        assertThat(all).noneMatch(l -> l.message().equals("a debug line"));
        assertThat(all.get(0).logger()).isEqualTo("connections");
    }

    @Test
    void filtersByTextLoggerOrLevel() {
        LogRing ring = new LogRing();
        ring.setContext(context);
        ring.start();
        log(ring, "dev.drawbridge.broker.connections", Level.INFO, "New client connected as garage-door");
        log(ring, "dev.drawbridge.broker.console.ConsoleHandler", Level.INFO, "Console user admin logged in");
        log(ring, "dev.drawbridge.broker.engine.Engine", Level.WARN, "Expiring persistent sessions failed");

        assertThat(ring.recent("GARAGE", 10))
                .extracting(LogRing.Line::message)
                .containsExactly("New client connected as garage-door");
        assertThat(ring.recent("consolehandler", 10))
                .extracting(LogRing.Line::message)
                .containsExactly("Console user admin logged in");
        assertThat(ring.recent("warn", 10)).extracting(LogRing.Line::level).containsExactly("WARN");
        assertThat(ring.recent("", 2))
                .as("at most the limit, newest first")
                .extracting(LogRing.Line::level)
                .containsExactly("WARN", "INFO");
    }
}
