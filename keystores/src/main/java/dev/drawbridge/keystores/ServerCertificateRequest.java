package dev.drawbridge.keystores;

import java.util.List;
import org.bouncycastle.util.IPAddress;

/**
 * What a server certificate should say: its common name, the DNS names and IP addresses clients connect to (the
 * subject alternative names they check), the key type and the validity.
 */
public record ServerCertificateRequest(
        String commonName, List<String> dnsNames, List<String> ipAddresses, KeyType keyType, Validity validity) {

    public ServerCertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        Names.requireCommonName(commonName);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException(
                    "server certificate " + commonName + ": expected at least one DNS name or IP address");
        }
        for (String dns : dnsNames) {
            if (!Names.isDnsName(dns)) {
                throw new IllegalArgumentException(
                        "DNS name: expected a host name like mqtt.local, found '" + dns + "'");
            }
        }
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException(
                        "IP address: expected an IPv4 or IPv6 address like 192.168.1.10, found '" + ip + "'");
            }
        }
    }
}
