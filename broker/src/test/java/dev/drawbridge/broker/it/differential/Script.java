package dev.drawbridge.broker.it.differential;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A differential script: what one or more raw connections send, in order, and what each expects back. The text is
 * Mosquitto-test style, hex with a {@code #} comment per field:
 *
 * <pre>
 * # MQTT-3.1.2-2: an unsupported protocol level is answered with CONNACK 0x01, then the connection is closed
 * config max_inflight_messages 3     (extra mosquitto.conf lines, for both brokers)
 * differs REASON                     (Drawbridge answers otherwise on purpose, as README's "Differences" says and
 *                                     another test pins: the script is played against Mosquitto only)
 * open a                             (connection a: a new TCP connection)
 * send a
 *     10 0d                          # CONNECT, remaining length 13
 *     00 04 4d 51 54 54              # protocol name "MQTT"
 * expect a
 *     20 02 00 01                    # CONNACK, return code 0x01
 * expect-closed a                    (the broker closes a; packets before the close are recorded)
 * close a                            (the client drops the socket without DISCONNECT)
 * </pre>
 */
public record Script(
        String name,
        List<String> config,
        List<Step> steps,
        @Nullable String differs) {

    /** One thing the script does. */
    public sealed interface Step permits Open, Send, Expect, ExpectClosed, Close {
        String connection();
    }

    public record Open(String connection) implements Step {}

    public record Send(String connection, byte[] bytes) implements Step {}

    public record Expect(String connection, List<Frame> frames) implements Step {}

    public record ExpectClosed(String connection) implements Step {}

    public record Close(String connection) implements Step {}

    public Script {
        config = List.copyOf(config);
        steps = List.copyOf(steps);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Parses a script; errors name the line. */
    public static Script parse(String name, String text) {
        List<String> config = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        String differs = null;
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int lineNumber = i + 1;
            i++;
            String stripped = line.strip();
            if (stripped.startsWith("#")) {
                continue;
            }
            String command = withoutComment(line).strip();
            if (command.isEmpty()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw new IllegalArgumentException(name + ":" + lineNumber + ": hex outside a send/expect block");
            }
            String[] words = command.split("\\s+", 2);
            String argument = words.length > 1 ? words[1].strip() : "";
            switch (words[0]) {
                case "config" -> config.add(argument);
                case "differs" -> {
                    if (argument.isBlank()) {
                        throw new IllegalArgumentException(name + ":" + lineNumber + ": differs needs a reason");
                    }
                    differs = argument;
                }
                case "open" -> steps.add(new Open(connection(name, lineNumber, argument)));
                case "close" -> steps.add(new Close(connection(name, lineNumber, argument)));
                case "expect-closed" -> steps.add(new ExpectClosed(connection(name, lineNumber, argument)));
                case "send", "expect" -> {
                    StringBuilder hex = new StringBuilder();
                    while (i < lines.length
                            && !lines[i].isEmpty()
                            && (Character.isWhitespace(lines[i].charAt(0)) || lines[i].startsWith("#"))) {
                        hex.append(withoutComment(lines[i]).replaceAll("\\s+", ""));
                        i++;
                    }
                    byte[] bytes;
                    try {
                        bytes = HexFormat.of().parseHex(hex);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(name + ":" + lineNumber + ": bad hex: " + e.getMessage(), e);
                    }
                    String connection = connection(name, lineNumber, argument);
                    if (words[0].equals("send")) {
                        steps.add(new Send(connection, bytes));
                    } else {
                        steps.add(new Expect(connection, Frame.split(bytes)));
                    }
                }
                default ->
                    throw new IllegalArgumentException(name + ":" + lineNumber + ": unknown command '" + words[0]
                            + "' (expected config, differs, open, send, expect,"
                            + " expect-closed or close)");
            }
        }
        return new Script(name, config, steps, differs);
    }

    private static String connection(String name, int lineNumber, String argument) {
        if (!argument.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                    name + ":" + lineNumber + ": expected a connection name, found '" + argument + "'");
        }
        return argument;
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash >= 0 ? line.substring(0, hash) : line;
    }
}
