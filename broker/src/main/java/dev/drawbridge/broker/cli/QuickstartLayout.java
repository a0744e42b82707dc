package dev.drawbridge.broker.cli;

import dev.drawbridge.keystores.CaDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code pki quickstart DIR} puts each file. The CA, the server certificate and the device certificates live in
 * {@code DIR/ca}, an ordinary {@code pki} CA directory, so {@code pki client|revoke|crl|list --dir DIR/ca} work on it
 * later; the broker's own files ({@code mosquitto.conf}, {@code passwd}, {@code acl}) live in {@code DIR}. Every path
 * is absolute, because Mosquitto resolves relative paths in its configuration against its working directory.
 *
 * @param directory DIR, absolute and normalised
 * @param server the server certificate's name (and file name)
 * @param devices the device names, in the order given
 */
record QuickstartLayout(Path directory, String server, List<String> devices) {

    static final String CA_DIRECTORY = "ca";
    static final String CONF = "mosquitto.conf";
    static final String PASSWD = "passwd";
    static final String ACL = "acl";

    QuickstartLayout {
        directory = directory.toAbsolutePath().normalize();
        devices = List.copyOf(devices);
    }

    CaDirectory ca() {
        return CaDirectory.at(directory.resolve(CA_DIRECTORY));
    }

    Path caCertificate() {
        return ca().file(CaDirectory.CA_CERTIFICATE);
    }

    Path crl() {
        return ca().file(CaDirectory.CRL);
    }

    Path serverCertificate() {
        return ca().certificateFile(server);
    }

    Path serverKey() {
        return ca().keyFile(server);
    }

    Path deviceCertificate(String device) {
        return ca().certificateFile(device);
    }

    Path deviceKey(String device) {
        return ca().keyFile(device);
    }

    Path conf() {
        return directory.resolve(CONF);
    }

    Path passwd() {
        return directory.resolve(PASSWD);
    }

    Path acl() {
        return directory.resolve(ACL);
    }

    /** Every file quickstart writes, in the order it writes them. */
    List<Path> outputs() {
        List<Path> all = new ArrayList<>(
                List.of(ca().file(CaDirectory.CA_KEY), caCertificate(), crl(), serverKey(), serverCertificate()));
        for (String device : devices) {
            all.add(deviceKey(device));
            all.add(deviceCertificate(device));
        }
        all.addAll(List.of(passwd(), acl(), conf()));
        return all;
    }

    /** {@code file} relative to DIR, for short listings. */
    String relative(Path file) {
        return directory.relativize(file).toString();
    }
}
