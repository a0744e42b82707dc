package dev.drawbridge.broker.conf;

import dev.drawbridge.broker.bridge.BridgeConfig;
import dev.drawbridge.broker.bridge.BridgeConfig.Address;
import dev.drawbridge.broker.bridge.BridgeConfig.Restart;
import dev.drawbridge.broker.bridge.TopicMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bridge option values with a syntax of their own ({@code address}, {@code restart_timeout}, {@code topic}), split
 * as Mosquitto 2.0's {@code conf.c} splits them. Each returns the value, or records one problem and returns empty.
 */
final class BridgeValues {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");

    private BridgeValues() {}

    /** {@code HOST[:PORT] ...} up to a comment; split at the last colon, so an IPv6 address needs the port. */
    static Optional<List<Address>> addresses(ConfigLine line, Diagnostics d) {
        List<Address> addresses = new ArrayList<>();
        for (String word : line.words()) {
            if (word.startsWith("#")) {
                break;
            }
            int colon = word.lastIndexOf(':');
            String host = colon < 0 ? word : word.substring(0, colon);
            String port = colon < 0 ? String.valueOf(BridgeConfig.DEFAULT_PORT) : word.substring(colon + 1);
            long number = NUMBER.matcher(port).matches() ? Long.parseLong(port) : -1;
            if (host.isEmpty() || !HOST.matcher(host).matches() || number < 1 || number > 65_535) {
                d.error(
                        line,
                        line.option() + ": expected HOST[:PORT] with a port 1-65535 (an IPv6 address needs the"
                                + " port), found '" + word + "'");
                return Optional.empty();
            }
            addresses.add(new Address(host, (int) number));
        }
        if (addresses.isEmpty()) {
            d.error(line, line.option() + ": expected HOST[:PORT] ..., found " + line.found());
            return Optional.empty();
        }
        return Optional.of(addresses);
    }

    /** {@code restart_timeout CONSTANT} or {@code restart_timeout BASE CAP}, in seconds. */
    static Optional<Restart> restart(ConfigLine line, Diagnostics d) {
        List<String> words = line.words();
        boolean numbers = !words.isEmpty()
                && words.size() <= 2
                && words.stream().allMatch(w -> NUMBER.matcher(w).matches());
        long base = numbers ? Long.parseLong(words.get(0)) : 0;
        long cap = numbers && words.size() == 2 ? Long.parseLong(words.get(1)) : base;
        if (!numbers || base < 1 || base > Integer.MAX_VALUE || cap < base || cap > Integer.MAX_VALUE) {
            d.error(
                    line,
                    "restart_timeout: expected SECONDS (>= 1) or BASE CAP (1 <= BASE <= CAP), found " + line.found());
            return Optional.empty();
        }
        return Optional.of(new Restart(
                Duration.ofSeconds(base), words.size() == 2 ? Optional.of(Duration.ofSeconds(cap)) : Optional.empty()));
    }

    /** A {@code topic} line's words, as Mosquitto's {@code conf.c} splits them. */
    static Optional<TopicMapping> topic(ConfigLine line, Diagnostics d) {
        List<String> words = new ArrayList<>(line.words());
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).startsWith("#")) {
                words = words.subList(0, i); // the rest of the line is a comment
                break;
            }
        }
        String syntax = "expected PATTERN [[[out|in|both] QOS] LOCAL_PREFIX REMOTE_PREFIX], found " + line.found();
        if (words.isEmpty() || words.size() > 5) {
            d.error(line, "topic: " + syntax);
            return Optional.empty();
        }
        Optional<String> pattern = placeholder(words.get(0));
        TopicMapping.Direction direction = TopicMapping.Direction.OUT;
        if (words.size() > 1) {
            try {
                // Mosquitto compares the direction without case.
                direction = TopicMapping.Direction.valueOf(words.get(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                d.error(line, "topic: direction: expected out, in or both, found '" + words.get(1) + "'");
                return Optional.empty();
            }
        }
        int qos = 0;
        if (words.size() > 2) {
            String q = words.get(2);
            if (!q.equals("0") && !q.equals("1") && !q.equals("2")) {
                d.error(line, "topic: QoS: expected 0, 1 or 2, found '" + q + "'");
                return Optional.empty();
            }
            qos = Integer.parseInt(q);
        }
        Optional<String> local = words.size() > 3 ? placeholder(words.get(3)) : Optional.empty();
        Optional<String> remote = words.size() > 4 ? placeholder(words.get(4)) : Optional.empty();
        Optional<String> problem = TopicMapping.problem(pattern, qos, local, remote);
        if (problem.isPresent()) {
            d.error(line, "topic: " + problem.get() + " (in " + line.found() + ")");
            return Optional.empty();
        }
        return Optional.of(new TopicMapping(pattern, direction, qos, local, remote));
    }

    /** Mosquitto's {@code ""} stands for "none". */
    private static Optional<String> placeholder(String word) {
        return word.equals("\"\"") ? Optional.empty() : Optional.of(word);
    }
}
