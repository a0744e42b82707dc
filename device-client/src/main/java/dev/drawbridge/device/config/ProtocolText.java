package dev.drawbridge.device.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code mqtt.protocol} as written: {@code auto}, {@code 5} or {@code 3.1.1}. YAML reads {@code 5} as a number, so
 * this takes the scalar's text instead of letting Jackson treat a number as an enum index.
 */
final class ProtocolText extends StdScalarDeserializer<MqttProtocol> {

    private static final long serialVersionUID = 1L;

    ProtocolText() {
        super(MqttProtocol.class);
    }

    @Override
    public MqttProtocol deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = parser.getValueAsString();
        Optional<MqttProtocol> protocol = text == null ? Optional.empty() : MqttProtocol.parse(text);
        if (protocol.isEmpty()) {
            throw JsonMappingException.from(parser, "expected auto, 5 or 3.1.1, found '" + text + "'");
        }
        return protocol.get();
    }
}
