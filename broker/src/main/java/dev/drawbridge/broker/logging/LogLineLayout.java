package dev.drawbridge.broker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Mosquitto's log line: {@code 2026-12-07T14:46:06: message}, or the message alone without {@code log_timestamp};
 * a logged exception follows on its own lines.
 *
 * <p>Written out instead of a logback {@code PatternLayout}, whose pattern parser and converters are about 80 classes
 * loaded at every start for two fixed formats.
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** The last second formatted: appenders call the layout from many threads, so one immutable pair. */
    private record Stamp(long second, String text) {}

    private final boolean timestamped;
    private final ZoneId zone = ZoneId.systemDefault();
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

    LogLineLayout(boolean timestamped) {
        this.timestamped = timestamped;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (timestamped) {
            line.append(stamp(event.getTimeStamp())).append(": ");
        }
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    private String stamp(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp cached = last;
        if (cached.second() != second) {
            cached = new Stamp(
                    second, SECONDS.format(Instant.ofEpochSecond(second).atZone(zone)));
            last = cached;
        }
        return cached.text();
    }
}
