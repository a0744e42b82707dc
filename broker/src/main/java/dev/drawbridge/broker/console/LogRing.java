package dev.drawbridge.broker.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The most recent log lines of Drawbridge's own loggers (INFO and above), kept in memory for the console's log page.
 * Bounded: the oldest line goes when a new one comes. It hangs on the {@code dev.drawbridge} logger, not the root,
 * so that a reload's new log destinations leave it in place.
 */
final class LogRing extends AppenderBase<ILoggingEvent> {

    static final int CAPACITY = 1_000;
    private static final String LOGGER = "dev.drawbridge";

    /** One line as the log page shows it. */
    record Line(Instant time, String level, String logger, String message) {

        boolean matches(String query) {
            String q = query.toLowerCase(Locale.ROOT);
            return message.toLowerCase(Locale.ROOT).contains(q)
                    || level.toLowerCase(Locale.ROOT).equals(q)
                    || logger.toLowerCase(Locale.ROOT).contains(q);
        }
    }

    private final ArrayDeque<Line> lines = new ArrayDeque<>(CAPACITY);

    /** Starts keeping the lines of Drawbridge's loggers. */
    static LogRing attach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogRing ring = new LogRing();
        ring.setContext(context);
        ring.setName("console-ring");
        ring.start();
        context.getLogger(LOGGER).addAppender(ring);
        return ring;
    }

    void detach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger(LOGGER);
        logger.detachAppender(this);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
            return;
        }
        String logger = event.getLoggerName();
        Line line = new Line(
                Instant.ofEpochMilli(event.getTimeStamp()),
                event.getLevel().toString(),
                logger.substring(logger.lastIndexOf('.') + 1),
                event.getFormattedMessage());
        synchronized (lines) {
            if (lines.size() == CAPACITY) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
    }

    /** The newest lines first, at most {@code limit}, those matching {@code query} if it is not empty. */
    List<Line> recent(String query, int limit) {
        List<Line> found = new ArrayList<>();
        synchronized (lines) {
            var newestFirst = lines.descendingIterator();
            while (newestFirst.hasNext() && found.size() < limit) {
                Line line = newestFirst.next();
                if (query.isEmpty() || line.matches(query)) {
                    found.add(line);
                }
            }
        }
        return found;
    }
}
