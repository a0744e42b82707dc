package dev.drawbridge.device.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads the device's YAML config file into a {@link DeviceConfig} and checks it with {@link ConfigCheck}. Unknown
 * options, duplicate keys, wrong types and bad values are errors, never defaults. Thread-safe.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("scalars")
                    .addDeserializer(Duration.class, new DurationText())
                    .addDeserializer(MqttProtocol.class, new ProtocolText()))
            .build();

    private ConfigLoader() {}

    /** Loads and checks {@code file}; relative files inside it are resolved against its folder. */
    public static DeviceConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        DeviceConfig config;
        try {
            DeviceConfig read = YAML.readValue(text.isBlank() ? "{}" : text, DeviceConfig.class);
            config = read == null ? YAML.readValue("{}", DeviceConfig.class) : read;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        DeviceConfig resolved = config.withBaseDir(folder == null ? Path.of(".") : folder);
        List<String> problems = ConfigCheck.check(resolved);
        if (!problems.isEmpty()) {
            throw new ConfigException(
                    problems.stream().map(problem -> file + ": " + problem).collect(Collectors.toList()));
        }
        return resolved;
    }

    /** {@code field: reason (line N)} for a Jackson failure. */
    static String describe(JsonProcessingException e) {
        String line = line(e.getLocation());
        if (!(e instanceof JsonMappingException mapping)) {
            return "not valid YAML: " + e.getOriginalMessage() + line;
        }
        String field = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        String reason;
        if (e instanceof UnrecognizedPropertyException unknown) {
            line = ""; // Jackson points past the option's value here, so a line number would mislead
            reason = "unknown option (known: "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ")";
        } else if (e instanceof InvalidFormatException format) {
            reason = "expected " + expected(format.getTargetType()) + ", found '" + format.getValue() + "'";
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            reason = "expected " + expected(mismatch.getTargetType()) + ", found something else";
        } else {
            reason = e.getOriginalMessage();
        }
        return (field.isEmpty() ? "" : field + ": ") + reason + line;
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(constant -> constant.toString().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "text";
        }
        return "a " + type.getSimpleName().replace("Config", "").toLowerCase(Locale.ROOT) + " section";
    }

    private static String line(@Nullable JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ")";
    }
}
