package dev.drawbridge.keystores.cli;

import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.PkiException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "fingerprint",
        description = {
            "Print the fingerprint of a certificate (PEM or DER; the first of a chain).",
            "For an ESP8266 sketch: --sha1 --format esp8266."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
final class FingerprintCommand extends PkiSubcommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "Certificate file.")
    Path file;

    @Option(names = "--sha1", description = "SHA-1, as older ESP8266 sketches pin.")
    boolean sha1;

    @Option(names = "--sha256", description = "SHA-256 (the default).")
    boolean sha256;

    @Option(
            names = "--format",
            paramLabel = "esp8266|colon|hex",
            converter = FormatConverter.class,
            description = "colon: AA:BB:.. as openssl prints (default); hex: aabb..; esp8266: AA BB ..")
    FingerprintFormat format = FingerprintFormat.COLON;

    @Override
    int run() throws PkiException {
        if (sha1 && sha256) {
            throw new PkiException("--sha1 and --sha256 exclude each other");
        }
        FingerprintAlgorithm algorithm = sha1 ? FingerprintAlgorithm.SHA1 : FingerprintAlgorithm.SHA256;
        out().println(Fingerprints.of(PemFiles.readCertificate(file), algorithm, format));
        return PkiCommand.OK;
    }

    static final class FormatConverter implements ITypeConverter<FingerprintFormat> {
        @Override
        public FingerprintFormat convert(String value) {
            try {
                return FingerprintFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected esp8266, colon or hex, found '" + value + "'");
            }
        }
    }
}
