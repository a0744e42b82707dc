package dev.drawbridge.device.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in the config file: a number and a unit, {@code ms}, {@code s}, {@code m} or
 * {@code h} ({@code 500ms}, {@code 1.5s}, {@code 2m}). A bare number is refused: its unit would be a guess.
 */
public final class DurationText extends StdScalarDeserializer<Duration> {

    private static final long serialVersionUID = 1L;
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)\\s*(ms|s|m|h)");

    DurationText() {
        super(Duration.class);
    }

    /** The duration written as {@code text}, or empty. */
    public static Optional<Duration> parse(String text) {
        Matcher matcher = FORMAT.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        long millisPerUnit = switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        BigDecimal millis = amount.multiply(BigDecimal.valueOf(millisPerUnit));
        if (millis.stripTrailingZeros().scale() > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(millis.longValueExact()));
    }

    /** How a duration is written back, for messages: {@code 500ms}, {@code 1.5s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 || millis % 100 != 0
                ? millis + "ms"
                : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = parser.getValueAsString();
        Optional<Duration> duration = text == null ? Optional.empty() : parse(text);
        if (duration.isEmpty()) {
            throw JsonMappingException.from(
                    parser, "expected a duration with a unit like 500ms, 1.5s or 2m, found '" + text + "'");
        }
        return duration.get();
    }
}
