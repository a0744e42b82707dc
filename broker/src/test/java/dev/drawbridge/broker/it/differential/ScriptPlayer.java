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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a {@link Script} against a broker and writes down what each connection saw, one line per event, tagged with the
 * step and connection: the transcripts of two brokers are equal exactly when they answered alike, packet for packet and
 * close for close. Every wait is bounded by {@link #ANSWER}; nothing sleeps.
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
        for (int s = 0; s < script.steps().size(); s++) {
            Step step = script.steps().get(s);
            String tag = tag(s, step);
            if (step instanceof Expect e) {
                e.frames().forEach(f -> lines.add(tag + f.describe()));
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
        try {
            for (int s = 0; s < script.steps().size(); s++) {
                Step step = script.steps().get(s);
                String tag = tag(s, step);
                if (step instanceof Open) {
                    open.put(step.connection(), RawConnection.open(port));
                } else if (step instanceof Send send) {
                    connection(open, send).send(send.bytes());
                } else if (step instanceof Expect e) {
                    receive(connection(open, e), e.frames().size(), tag, lines);
                } else if (step instanceof ExpectClosed) {
                    untilClosed(connection(open, step), tag, lines);
                } else {
                    connection(open, step).close();
                    open.remove(step.connection());
                }
            }
            // Whatever is already there and was not expected is part of the answer too.
            open.forEach((name, connection) -> {
                Event left;
                while ((left = connection.next(Duration.ZERO)) != null) {
                    lines.add("after the last step " + name + ": " + left);
                }
            });
        } finally {
            open.values().forEach(RawConnection::close);
        }
        return lines;
    }

    private static void receive(RawConnection connection, int count, String tag, List<String> lines) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        for (int i = 0; i < count; i++) {
            Event event = connection.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                lines.add(tag + SILENT);
                return;
            }
            lines.add(tag + event);
            if (event instanceof Closed) {
                return;
            }
        }
    }

    private static void untilClosed(RawConnection connection, String tag, List<String> lines) {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (true) {
            Event event = connection.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                lines.add(tag + "still open after " + ANSWER.toSeconds() + " s");
                return;
            }
            lines.add(tag + event);
            if (!(event instanceof Received)) {
                return;
            }
        }
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
