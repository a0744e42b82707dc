package dev.drawbridge.broker.it.differential;

import dev.drawbridge.broker.it.differential.RawConnection.Closed;
import dev.drawbridge.broker.it.differential.RawConnection.Event;
import dev.drawbridge.broker.it.differential.RawConnection.Received;
import dev.drawbridge.broker.it.differential.Script.Expect;
import dev.drawbridge.broker.it.differential.Script.ExpectClosed;
import dev.drawbridge.broker.it.differential.Script.Open;
import dev.drawbridge.broker.it.differential.Script.Send;
import dev.drawbridge.broker.it.differential.Script.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays a {@link Script} against a broker and writes down what each connection saw, one line per event, tagged with the
 * step and connection: the transcripts of two brokers are equal exactly when they answered alike, packet for packet and
 * close for close. A connection whose CONNECT asked for MQTT 5 has its packets described as MQTT 5 ({@link
 * Mqtt5Frame}: reason codes and properties). Every wait is bounded by {@link #ANSWER}; nothing sleeps.
 */
public final class ScriptPlayer {

    /** How long an expected packet or close may take. Only a broker that differs ever waits this long. */
    public static final Duration ANSWER = Duration.ofSeconds(3);

    static final String CLOSED = new Closed().toString();
    static final String SILENT = "nothing within " + ANSWER.toSeconds() + " s";

    private ScriptPlayer() {}

    /** What the script says the broker does (Mosquitto's behaviour, as its author found it). */
    public static List<String> expected(Script script) {
        List<String> lines = new ArrayList<>();
        Set<String> mqtt5 = new HashSet<>();
        for (int s = 0; s < script.steps().size(); s++) {
            Step step = script.steps().get(s);
            String tag = tag(s, step);
            track(step, mqtt5);
            if (step instanceof Expect e) {
                boolean v5 = mqtt5.contains(e.connection());
                e.frames().forEach(f -> lines.add(tag + describe(f, v5)));
            } else if (step instanceof ExpectClosed) {
                lines.add(tag + CLOSED);
            }
        }
        return lines;
    }

    /** Plays the script against the broker on 127.0.0.1:port. */
    public static List<String> play(Script script, int port) {
        List<String> lines = new ArrayList<>();
        Map<String, RawConnection> open = new LinkedHashMap<>();
        Set<String> mqtt5 = new HashSet<>();
        try {
            for (int s = 0; s < script.steps().size(); s++) {
                Step step = script.steps().get(s);
                String tag = tag(s, step);
                track(step, mqtt5);
                boolean v5 = mqtt5.contains(step.connection());
                if (step instanceof Open) {
                    open.put(step.connection(), RawConnection.open(port));
                } else if (step instanceof Send send) {
                    connection(open, send).send(send.bytes());
                } else if (step instanceof Expect e) {
                    receive(connection(open, e), e.frames().size(), tag, lines, v5);
                } else if (step instanceof ExpectClosed) {
                    untilClosed(connection(open, step), tag, lines, v5);
                } else {
                    connection(open, step).close();
                    open.remove(step.connection());
                }
            }
            // Whatever is already there and was not expected is part of the answer too.
            open.forEach((name, connection) -> {
                Event left;
                while ((left = connection.next(Duration.ZERO)) != null) {
                    lines.add("after the last step " + name + ": " + describe(left, mqtt5.contains(name)));
                }
            });
        } finally {
            open.values().forEach(RawConnection::close);
        }
        return lines;
    }

    private static void receive(RawConnection connection, int count, String tag, List<String> lines, boolean v5) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        for (int i = 0; i < count; i++) {
            Event event = connection.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                lines.add(tag + SILENT);
                return;
            }
            lines.add(tag + describe(event, v5));
            if (event instanceof Closed) {
                return;
            }
        }
    }

    private static void untilClosed(RawConnection connection, String tag, List<String> lines, boolean v5) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (true) {
            Event event = connection.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                lines.add(tag + "still open after " + ANSWER.toSeconds() + " s");
                return;
            }
            lines.add(tag + describe(event, v5));
            if (!(event instanceof Received)) {
                return;
            }
        }
    }

    /** Notes which connections asked for MQTT 5: a CONNECT with protocol level 5; a new connection starts unknown. */
    private static void track(Step step, Set<String> mqtt5) {
        if (step instanceof Open) {
            mqtt5.remove(step.connection());
        } else if (step instanceof Send send && isMqtt5Connect(send.bytes())) {
            mqtt5.add(send.connection());
        }
    }

    private static boolean isMqtt5Connect(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x10) {
            return false;
        }
        int at = 1;
        while (at < bytes.length && (bytes[at] & 0x80) != 0) {
            at++;
        }
        at++; // past the remaining length
        if (at + 2 > bytes.length) {
            return false;
        }
        int nameLength = ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
        int level = at + 2 + nameLength;
        return level < bytes.length && bytes[level] == 5;
    }

    private static String describe(Frame frame, boolean v5) {
        return v5 ? Mqtt5Frame.describe(frame) : frame.describe();
    }

    private static String describe(Event event, boolean v5) {
        return event instanceof Received received ? describe(received.frame(), v5) : event.toString();
    }

    private static RawConnection connection(Map<String, RawConnection> open, Step step) {
        RawConnection connection = open.get(step.connection());
        if (connection == null) {
            throw new IllegalStateException("connection " + step.connection() + " is not open at " + step);
        }
        return connection;
    }

    private static String tag(int index, Step step) {
        return "step " + (index + 1) + " " + step.connection() + ": ";
    }
}
