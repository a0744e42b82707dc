package dev.drawbridge.broker.cli;

import dev.drawbridge.keystores.CaDirectory;
import dev.drawbridge.keystores.CertificateAuthority;
import dev.drawbridge.keystores.IssuedCertificate;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PkiException;
import dev.drawbridge.keystores.PkiFiles;
import dev.drawbridge.keystores.ServerCertificateRequest;
import dev.drawbridge.keystores.Validity;
import dev.drawbridge.keystores.WriteMode;
import dev.drawbridge.keystores.cli.PkiCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pki quickstart}: in one step, what the TLS tutorial builds by hand: a CA, a server certificate, one client
 * certificate per device, a password file with generated passwords, an ACL file giving each device its own topics and
 * a {@code mosquitto.conf} using them all (see {@link QuickstartLayout} for where each file goes). Nothing is written
 * until every argument is checked and no file would be replaced (unless {@code --force}). Lives in the broker module
 * because it composes {@code keystores} and {@code acl}; returns {@link PkiCommand}'s exit codes.
 */
@Command(
        name = "quickstart",
        sortOptions = false,
        description = {
            "Create a CA, server and device certificates, passwd, acl and mosquitto.conf in DIR in one step.",
            "DIR/ca: the CA with the server and device certificates (for pki client|revoke|crl --dir DIR/ca).",
            "DIR/passwd: generated passwords for admin and each device, printed only once.",
            "DIR/acl: each device may use only the garage opener's topics for NAME (drawbridge/NAME/#, its Home Assistant"
                    + " discovery config, homeassistant/status), admin every topic.",
            "DIR/mosquitto.conf: TLS with client certificates on port 8883, passwords on 127.0.0.1:1883, and the console"
                    + " on https://127.0.0.1:8443 for admin (Mosquitto 2.0 reads it up to the console's block).",
            "Existing files are never replaced without --force."
        })
@SuppressWarnings("NullAway.Init") // picocli sets the fields
public final class QuickstartCommand implements Callable<Integer> {

    private static final int CA_DAYS = 3650;
    private static final int CERTIFICATE_DAYS = 825;
    private static final KeyType KEY_TYPE = KeyType.RSA;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern IP_LIKE = Pattern.compile("[0-9.]+|.*:.*");

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory for the files; created when missing.")
    Path directory;

    @Option(
            names = "--server",
            required = true,
            paramLabel = "NAME",
            description = "DNS name devices connect to, e.g. mqtt.local (localhost and 127.0.0.1 are added).")
    String server;

    @Option(
            names = "--server-ip",
            paramLabel = "ADDRESS",
            description = "Another IP address devices connect to, e.g. 192.168.1.10 (repeatable).")
    List<String> serverIps = new ArrayList<>();

    @Option(
            names = "--device",
            required = true,
            paramLabel = "NAME",
            description =
                    "A device: client certificate CN=NAME, passwd user NAME, topics drawbridge/NAME/# (repeatable).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--force", description = "Replace existing files (the old CA and certificates stop working).")
    boolean force;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final SecureRandom random = new SecureRandom();

    /** For {@code new CommandLine(new PkiCommand()).addSubcommand(new QuickstartCommand())}. */
    public QuickstartCommand() {}

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = checkArguments();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("pki quickstart: " + problem));
            return PkiCommand.USAGE;
        }
        QuickstartLayout layout = new QuickstartLayout(directory, server, devices);
        problems = force ? List.of() : existing(layout);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("pki quickstart: " + problem));
            return PkiCommand.FAILED;
        }
        try {
            create(layout);
        } catch (PkiException | IllegalArgumentException e) {
            err.println("pki quickstart: " + e.getMessage());
            return PkiCommand.FAILED;
        }
        return PkiCommand.OK;
    }

    /** Every problem with the arguments, each naming the option and the value; empty when there is none. */
    private List<String> checkArguments() {
        List<String> problems = new ArrayList<>();
        if (directory.toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add("DIR: a control character in '" + directory + "' cannot be written to mosquitto.conf");
        } else if (Files.exists(directory) && !Files.isDirectory(directory)) {
            problems.add(directory + ": not a directory");
        }
        if (IP_LIKE.matcher(server).matches()) {
            problems.add("--server: expected a DNS name like mqtt.local, found the address '" + server
                    + "' (give addresses with --server-ip)");
        } else if (!NAME.matcher(server).matches() || server.equals(QuickstartLayout.CA_DIRECTORY)) {
            problems.add("--server: expected a DNS name like mqtt.local, found '" + server + "'");
        } else {
            try {
                new ServerCertificateRequest(
                        server, serverNames(), serverIps(), KEY_TYPE, Validity.days(1, Clock.systemUTC()));
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                problems.add((message.startsWith("IP") ? "--server-ip: " : "--server: ") + message);
            }
        }
        Set<String> seen = new HashSet<>();
        for (String device : devices) {
            if (!NAME.matcher(device).matches()) {
                problems.add("--device: expected letters, digits, '.', '-' or '_' like garage, found '" + device + "'");
            } else if (device.equals(QuickstartFiles.ADMIN) || device.equals(QuickstartLayout.CA_DIRECTORY)) {
                problems.add("--device: '" + device + "' is reserved, choose another name");
            } else if (device.equals(server)) {
                problems.add("--device: '" + device + "' is the server's name, choose another name");
            } else if (!seen.add(device)) {
                problems.add("--device: '" + device + "' given twice");
            }
        }
        return problems;
    }

    /** The files that exist already, each as {@code FILE: already exists...}. */
    private static List<String> existing(QuickstartLayout layout) {
        List<String> problems = new ArrayList<>();
        for (Path file : layout.outputs()) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(file + ": already exists, refusing to overwrite it (--force replaces it)");
            }
        }
        return problems;
    }

    private void create(QuickstartLayout layout) throws PkiException {
        WriteMode mode = force ? WriteMode.REPLACE : WriteMode.CREATE_NEW;
        try {
            Files.createDirectories(layout.directory());
        } catch (IOException e) {
            throw PkiException.forFile(layout.directory(), "cannot create directory (" + e + ")", e);
        }
        CaDirectory ca = layout.ca();
        CertificateAuthority authority = ca.init("Drawbridge CA", KEY_TYPE, CA_DAYS, null, mode);
        IssuedCertificate serverCertificate =
                ca.issueServer(authority, server, serverNames(), serverIps(), KEY_TYPE, CERTIFICATE_DAYS, mode);
        for (String device : devices) {
            ca.issueClient(authority, device, KEY_TYPE, CERTIFICATE_DAYS, mode);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(QuickstartFiles.ADMIN, QuickstartFiles.newPassword(random));
        devices.forEach(device -> passwords.put(device, QuickstartFiles.newPassword(random)));
        write(layout.passwd(), QuickstartFiles.passwd(passwords, random), PkiFiles.SECRET, mode);
        // Owner-only as well: Mosquitto 2.0.16 and later warn about a world-readable acl_file.
        write(layout.acl(), QuickstartFiles.acl(layout), PkiFiles.SECRET, mode);
        write(layout.conf(), QuickstartFiles.mosquittoConf(layout), PkiFiles.PUBLIC, mode);
        List<String> names = new ArrayList<>(serverNames());
        names.addAll(serverIps());
        QuickstartReport.print(spec.commandLine().getOut(), layout, names, serverCertificate.certificate(), passwords);
    }

    private static void write(Path file, String text, Set<PosixFilePermission> permissions, WriteMode mode)
            throws PkiException {
        PkiFiles.write(file, text.getBytes(StandardCharsets.UTF_8), permissions, mode);
    }

    /** The DNS names of the server certificate: the server's name and localhost. */
    private List<String> serverNames() {
        return server.equals("localhost") ? List.of(server) : List.of(server, "localhost");
    }

    /** The IP addresses of the server certificate: 127.0.0.1 and every --server-ip, each once. */
    private List<String> serverIps() {
        List<String> all = new ArrayList<>(List.of("127.0.0.1"));
        for (String ip : serverIps) {
            if (!all.contains(ip)) {
                all.add(ip);
            }
        }
        return all;
    }
}
