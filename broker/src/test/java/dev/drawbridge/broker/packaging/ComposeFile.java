package dev.drawbridge.broker.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code docker-compose*.yml} read with Jackson YAML, with Compose's variable interpolation ({@code ${NAME}},
 * {@code ${NAME:-default}}, {@code ${NAME:?message}}) done from a given environment, so that values can be compared
 * and commands run as Compose would pass them.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\\?)([^}]*))?}");

    /** {@code [HOST_IP:][HOST_PORT:]CONTAINER_PORT}. */
    record Port(Optional<String> hostIp, Optional<Integer> hostPort, int containerPort) {}

    /** {@code SOURCE:TARGET[:ro]}; a source without {@code /} or {@code .} is a named volume. */
    record Mount(String source, String target, boolean readOnly) {

        boolean namedVolume() {
            return !source.startsWith("/") && !source.startsWith(".");
        }
    }

    private final Path file;
    private final JsonNode root;
    private final Map<String, String> environment;

    private ComposeFile(Path file, JsonNode root, Map<String, String> environment) {
        this.file = file;
        this.root = root;
        this.environment = Map.copyOf(environment);
    }

    static ComposeFile read(Path file, Map<String, String> environment) {
        try {
            return new ComposeFile(file, new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file() {
        return file;
    }

    /** The directory relative paths in the file are resolved against. */
    Path directory() {
        return file.toAbsolutePath().getParent();
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (!service.isObject()) {
            throw new AssertionError(file + ": no service " + name);
        }
        return service;
    }

    /** A string value of a service, interpolated; empty when absent. */
    Optional<String> value(String service, String... path) {
        JsonNode node = service(service);
        for (String name : path) {
            node = node.path(name);
        }
        return node.isValueNode() ? Optional.of(interpolate(node.asText())) : Optional.empty();
    }

    /** {@code command} as a list, interpolated (a string command is split on spaces, as Compose does). */
    List<String> command(String service) {
        return strings(service(service).path("command"), true);
    }

    /** {@code healthcheck.test}, interpolated; empty when the service keeps the image's HEALTHCHECK. */
    List<String> healthcheck(String service) {
        return strings(service(service).path("healthcheck").path("test"), true);
    }

    List<Port> ports(String service) {
        return strings(service(service).path("ports"), false).stream()
                .map(ComposeFile::port)
                .toList();
    }

    List<Mount> volumes(String service) {
        return strings(service(service).path("volumes"), false).stream()
                .map(ComposeFile::mount)
                .toList();
    }

    List<String> networkAliases(String service) {
        return strings(service(service).path("networks").path("default").path("aliases"), false);
    }

    private List<String> strings(JsonNode node, boolean splitText) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> values.add(interpolate(element.asText())));
        } else if (node.isValueNode() && splitText) {
            values.addAll(List.of(interpolate(node.asText()).trim().split("\\s+")));
        } else if (!node.isMissingNode()) {
            throw new AssertionError(file + ": expected a list, found " + node);
        }
        return values;
    }

    /** Compose's interpolation; an unset variable without a default is an error here (Compose warns). */
    String interpolate(String text) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String value = environment.get(name);
            String kind = variable.group(2);
            if (value == null || value.isEmpty()) {
                if (":-".equals(kind)) {
                    value = variable.group(3);
                } else {
                    throw new AssertionError(file + ": ${" + name + "} is not set"
                            + (":?".equals(kind) ? " (" + variable.group(3) + ")" : ""));
                }
            }
            variable.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        variable.appendTail(result);
        if (result.indexOf("$") >= 0) {
            throw new AssertionError(file + ": a '$' Compose would interpolate is left in " + text);
        }
        return result.toString();
    }

    private static Port port(String text) {
        String[] parts = text.split(":");
        int container = Integer.parseInt(parts[parts.length - 1].replace("/tcp", ""));
        return switch (parts.length) {
            case 1 -> new Port(Optional.empty(), Optional.empty(), container);
            case 2 -> new Port(Optional.empty(), Optional.of(Integer.valueOf(parts[0])), container);
            case 3 -> new Port(Optional.of(parts[0]), Optional.of(Integer.valueOf(parts[1])), container);
            default -> throw new AssertionError("not a port mapping: " + text);
        };
    }

    private static Mount mount(String text) {
        String[] parts = text.split(":");
        if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].matches("ro|rw"))) {
            throw new AssertionError("expected SOURCE:TARGET[:ro|:rw], found " + text);
        }
        return new Mount(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro"));
    }
}
