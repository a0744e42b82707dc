package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.KeyType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code rsa} or {@code ec}, in any case. */
final class KeyTypeConverter implements ITypeConverter<KeyType> {

    @Override
    public KeyType convert(String value) {
        try {
            return KeyType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected rsa or ec, found '" + value + "'");
        }
    }
}
