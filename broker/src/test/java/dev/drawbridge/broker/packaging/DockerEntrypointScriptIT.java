package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.ENTRYPOINT_SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's {@code docker-entrypoint.sh} run without a container, with {@code /mosquitto/} mapped to a temporary
 * directory: as root it gives {@code data/} and {@code log/} to PUID:PGID (default 1883:1883, as eclipse-mosquitto
 * 2.1) and runs the command as that user and group with no others; it refuses to run the broker as root; started as
 * another user it changes nothing. The command here is {@code id}, which prints who it runs as.
 *
 * <p>The root cases need this test to run as root (they are skipped otherwise); a non-root start is made from root
 * with {@code setpriv}. Not verified here: the script inside a built image (no container engine in CI).
 */
class DockerEntrypointScriptIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The image's /mosquitto. */
    @TempDir
    Path image;

    private Path script;

    @BeforeEach
    void mapTheScript() throws IOException {
        Files.createDirectories(image.resolve("data/drawbridge-store"));
        Files.writeString(image.resolve("data/drawbridge-store/drawbridge-engine.mv"), "store");
        Files.createDirectories(image.resolve("log"));
        Files.createDirectories(image.resolve("config"));
        Files.writeString(image.resolve("config/mosquitto.conf"), "listener 1883\n");
        String text = Files.readString(ENTRYPOINT_SCRIPT).replace("/mosquitto/", image + "/");
        script = Files.writeString(image.resolve("docker-entrypoint.sh"), text);
    }

    @Test
    void asRootItGivesDataAndLogToPuidPgidAndRunsTheCommandAsThem() throws Exception {
        assumeRoot();

        Result ran = run(Map.of("PUID", "4242", "PGID", "4343"), "sh", script.toString(), "id");

        assertThat(ran.exitCode()).as("%s", ran.stderr()).isZero();
        assertThat(ran.stdout()).containsExactly("uid=4242 gid=4343 groups=4343");
        assertThat(owner("data")).isEqualTo("4242:4343");
        assertThat(owner("data/drawbridge-store/drawbridge-engine.mv")).isEqualTo("4242:4343");
        assertThat(owner("log")).isEqualTo("4242:4343");
        assertThat(owner("config")).as("the config volume is left alone").isEqualTo("0:0");
    }

    @Test
    void withoutPuidAndPgidItUsesTheMosquittoImagesIds() throws Exception {
        assumeRoot();

        Result ran = run(Map.of(), "sh", script.toString(), "id", "-u");

        assertThat(ran.stdout()).containsExactly("1883");
        assertThat(owner("data")).isEqualTo("1883:1883");
        assertThat(owner("log")).isEqualTo("1883:1883");
    }

    @Test
    void itRefusesToRunTheBrokerAsRootOrWithANameForAnId() throws Exception {
        assumeRoot();

        Result root = run(Map.of("PUID", "0"), "sh", script.toString(), "id", "-u");
        Result name = run(Map.of("PUID", "mosquitto"), "sh", script.toString(), "id", "-u");

        assertThat(root.exitCode()).isEqualTo(1);
        assertThat(root.stdout()).isEmpty();
        assertThat(root.stderr())
                .containsExactly("Error: PUID=0 PGID=1883 would run the broker as root; use another id.");
        assertThat(name.exitCode()).isEqualTo(1);
        assertThat(name.stderr())
                .containsExactly("Error: PUID and PGID must be numeric ids, found PUID='mosquitto' PGID='1883'.");
        assertThat(owner("data")).as("nothing changed hands").isEqualTo("0:0");
    }

    /** docker run --user 4242:4242: the script runs the command as that user and changes no owner. */
    @Test
    void startedAsAnotherUserItChangesNothing() throws Exception {
        assumeRoot();
        Files.setPosixFilePermissions(image, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Result ran = run(
                Map.of("PUID", "4343"),
                "setpriv",
                "--reuid=4242",
                "--regid=4242",
                "--clear-groups",
                "sh",
                script.toString(),
                "id");

        assertThat(ran.exitCode()).as("%s", ran.stderr()).isZero();
        assertThat(ran.stdout()).containsExactly("uid=4242 gid=4242 groups=4242");
        assertThat(owner("data")).isEqualTo("0:0");
    }

    private static void assumeRoot() throws Exception {
        Result id = run(Map.of(), "id", "-u");
        assumeThat(id.stdout()).as("these cases run the script as root").containsExactly("0");
    }

    /** uid:gid of a path under the image. */
    private String owner(String path) throws Exception {
        Result stat = run(Map.of(), "stat", "-c", "%u:%g", image.resolve(path).toString());
        return String.join("", stat.stdout());
    }

    private static Result run(Map<String, String> env, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("env", "-u", "PUID", "-u", "PGID"));
        env.forEach((k, v) -> line.add(k + "=" + v));
        line.addAll(List.of(command));
        try (ClientProcess p = ClientProcess.start(line)) {
            int code = p.waitFor(WAIT);
            return new Result(code, p.stdout(), p.stderr());
        }
    }
}
