package dev.drawbridge.broker.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads Mosquitto 2.0's {@code mosquitto.conf} into a {@link BrokerConfig}. Every problem of the file and its
 * {@code include_dir} files is collected before failing, each as {@code FILE:LINE: reason}. Options Drawbridge
 * does not implement are refused when ignoring them would weaken security or lose messages, and otherwise accepted
 * with a warning in {@link BrokerConfig#warnings()}. Nothing is read from the environment. Bridges ({@code connection}
 * blocks) are read into {@link BrokerConfig#bridges()}; whether they run is the broker's decision, not the parser's.
 *
 * <p>Some options are Drawbridge's own: {@code keyfile_password PASSWORD} on a TLS listener, the password of an
 * encrypted {@code keyfile} (Mosquitto asks for it on the terminal instead); {@code refuse_identity_takeover} on a
 * listener with certificate names; {@code mdns}; and the limits of {@link ClientLimits} other than
 * {@code max_queued_bytes}.
 */
public final class ConfigParser {

    /** Mosquitto's order: case-insensitive first, then by case. */
    private static final Comparator<String> INCLUDE_ORDER =
            String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    private final Diagnostics diagnostics = new Diagnostics();
    private final GeneralOptions general = new GeneralOptions(diagnostics);
    private final ListenerOptions listeners = new ListenerOptions(diagnostics);
    private final BridgeOptions bridges = new BridgeOptions(diagnostics);

    /** The last line of each option, for {@link ConfigOrigins}. */
    private final Map<String, String> optionLines = new HashMap<>();

    private ConfigParser() {}

    /**
     * Parses a config file (UTF-8). Relative paths inside it are resolved against the working directory, as
     * Mosquitto does, and files it names (password, ACL, plugin, TLS) must be readable now.
     *
     * @throws ConfigException listing every problem; {@code FILE: cannot read: reason} if the file itself is
     *     unreadable
     */
    public static BrokerConfig parse(Path file) throws ConfigException {
        return parseWithOrigins(file).config();
    }

    /** As {@link #parse(Path)}, also saying which line set each listener and option (for a reload's messages). */
    public static ParsedConfig parseWithOrigins(Path file) throws ConfigException {
        List<ConfigLine> lines;
        try {
            lines = ConfigFileReader.read(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + ConfigFileReader.describe(e)));
        }
        ConfigParser parser = new ConfigParser();
        parser.read(lines, false);
        parser.listeners.validate();
        parser.bridges.validate();
        parser.diagnostics.throwIfAny();
        BrokerConfig config = parser.general.build(
                parser.listeners.build(),
                parser.listeners.localOnly(),
                parser.bridges.build(),
                parser.listeners.consoles(),
                parser.diagnostics.warnings());
        List<String> listenerLines = parser.listeners.localOnly() ? List.of() : parser.listeners.origins();
        return new ParsedConfig(config, new ConfigOrigins(file.toString(), listenerLines, parser.optionLines));
    }

    private void read(List<ConfigLine> lines, boolean included) {
        for (ConfigLine line : lines) {
            optionLines.put(line.option(), line.where());
            if (line.option().equals("include_dir")) {
                include(line, included);
            } else if (!bridges.apply(line)
                    && !UnsupportedOptions.handle(line, diagnostics)
                    && !general.apply(line)
                    && !listeners.apply(line)) {
                diagnostics.error(line, "unknown option '" + line.option() + "'");
            }
        }
    }

    private static boolean isIncluded(Path file) {
        String name = file.getFileName().toString();
        return name.length() > ".conf".length() && name.endsWith(".conf") && Files.isRegularFile(file);
    }

    /** Every {@code *.conf} file of the directory, read as if its lines stood here. */
    private void include(ConfigLine line, boolean included) {
        if (included) {
            // Mosquitto silently skips these; a setting that is silently skipped is worse than a refusal.
            diagnostics.error(line, "include_dir: only allowed in the main config file");
            return;
        }
        Optional<Path> checked = Values.directory(diagnostics, line);
        if (checked.isEmpty()) {
            return;
        }
        Path dir = Path.of(line.value()); // as given, so that messages name the files the way the user did
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(ConfigParser::isIncluded)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString(), INCLUDE_ORDER))
                    .toList();
        } catch (IOException e) {
            diagnostics.error(line, "include_dir: cannot read '" + line.value() + "': " + ConfigFileReader.describe(e));
            return;
        }
        for (Path file : files) {
            BridgeDraft outer = bridges.enterFile();
            try {
                read(ConfigFileReader.read(file), true);
            } catch (IOException e) {
                diagnostics.error(file + ": cannot read: " + ConfigFileReader.describe(e));
            } finally {
                bridges.leaveFile(outer);
            }
        }
    }
}
