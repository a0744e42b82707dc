package dev.drawbridge.broker.it.hostile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.LoggerFactory;

/**
 * Every event the root logger lets through while this is open (level, logger, message, whether it carries a stack
 * trace), from every thread: the broker's and Netty's.
 */
final class BrokerLog implements AutoCloseable {

    /** One logged event, as a line a report can quote. */
    record Line(Level level, String logger, String thread, String message, String throwable) {

        boolean hasStackTrace() {
            return !throwable.isEmpty();
        }

        @Override
        public String toString() {
            return level + " [" + thread + "] " + logger + " - " + message
                    + (throwable.isEmpty() ? "" : " | " + throwable);
        }
    }

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            IThrowableProxy t = event.getThrowableProxy();
            lines.add(new Line(
                    event.getLevel(),
                    event.getLoggerName(),
                    event.getThreadName(),
                    event.getFormattedMessage(),
                    t == null ? "" : t.getClassName() + ": " + t.getMessage()));
        }
    };

    BrokerLog() {
        appender.setContext(root.getLoggerContext());
        appender.setName("hostile-input-capture");
        appender.start();
        root.addAppender(appender);
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /**
     * The lines that mention {@code text}, waiting up to {@code timeout} for one that is not a {@code New client
     * connected} line.
     */
    List<Line> mentioning(String text, Duration timeout) {
        try {
            Awaitility.await("a log line mentioning " + text)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> lines.stream()
                            .anyMatch(l ->
                                    l.message().contains(text) && !l.message().startsWith("New client connected")));
        } catch (ConditionTimeoutException e) {
            return List.of();
        }
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    /** ERROR lines, and lines of any level with a stack trace (STYLE: no stack trace above DEBUG). */
    List<Line> errorsAndStackTraces() {
        return lines.stream()
                .filter(l -> l.level().isGreaterOrEqual(Level.ERROR) || l.hasStackTrace())
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
