package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKERFILE;
import static dev.drawbridge.broker.packaging.PackagingFiles.POSTINST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.cli.CdsTraining;
import dev.drawbridge.broker.packaging.Dockerfile.Copy;
import dev.drawbridge.broker.packaging.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JVM options of the image and of the Debian package, and the class-data-sharing archives made with them. A
 * dynamic archive is used only by a JVM started with options compatible with the training run's (compressed pointers on
 * or off alike, which the heap's size decides), so each archive is trained with the options of the start that uses it;
 * and the image starts as
 * the unit does but for the heap ceiling and the archive's path. DockerCdsArchiveIT and DebCdsArchiveIT run these
 * commands.
 */
class ImageJavaOptionsTest {

    private static final String ARCHIVE = ImagePaths.IMAGE_ARCHIVE;
    private static final String JAR = ImagePaths.IMAGE_JAR;

    /** What starting on the image's archive takes: the file, a start without it if it does not fit, and no word. */
    private static final List<String> ON_THE_ARCHIVE =
            List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds*=off");

    /**
     * The unit's option, and the image's in its place: the heap follows the container's memory limit, and the archive
     * is beside the image's jar.
     */
    private static final Map<String, String> IMAGE_IN_PLACE_OF_UNIT = Map.of(
            "-Xmx256m",
            "-XX:MaxRAMPercentage=50",
            "-XX:SharedArchiveFile=/usr/share/drawbridge/drawbridge.jsa",
            "-XX:SharedArchiveFile=" + ARCHIVE);

    private final Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);

    @Test
    void theEntrypointsJvmOptionsAreTheUnitsButForTheHeapCeilingAndTheArchivesPath() throws IOException {
        List<String> unit = PackagingFiles.unitJvmOptions();

        assertThat(unit).containsAll(IMAGE_IN_PLACE_OF_UNIT.keySet());
        assertThat(entrypointOptions())
                .as("the ENTRYPOINT's JVM options against the unit's ExecStart")
                .containsExactlyInAnyOrderElementsOf(unit.stream()
                        .map(option -> IMAGE_IN_PLACE_OF_UNIT.getOrDefault(option, option))
                        .toList());
    }

    @Test
    void theRunStageTrainsItsArchiveWithTheEntrypointsOptionsThenFailsUnlessTheJvmUsesIt() {
        List<String> options = entrypointOptions();
        // The heap ceiling of a small machine in place of half the build machine's memory: compressed pointers on in
        // the archive, as at any start below 32 GB of heap, even when the image is built on a 64 GB machine.
        List<String> sameJvm = options.stream()
                .filter(option -> !ON_THE_ARCHIVE.contains(option))
                .map(option -> option.equals("-XX:MaxRAMPercentage=50") ? "-Xmx1g" : option)
                .toList();
        Instruction training = dockerfile.imageRunWith("-XX:ArchiveClassesAtExit=" + ARCHIVE);
        Instruction check = dockerfile.imageRunWith("-Xshare:on");
        Copy jar = dockerfile.image().copies().stream()
                .filter(copy -> copy.destination().equals(JAR))
                .reduce((first, second) -> {
                    throw new AssertionError("the jar is copied twice: " + first + ", " + second);
                })
                .orElseThrow(() -> new AssertionError("no COPY of " + JAR));

        assertThat(options)
                .as("the ENTRYPOINT starts on the archive")
                .startsWith(ON_THE_ARCHIVE.toArray(String[]::new));
        // Exec form: java's own exit status is the step's, so a failed training or check fails the build.
        assertThat(training.execForm())
                .as("%s", training)
                .containsExactlyElementsOf(concat(
                        List.of("java", "-XX:ArchiveClassesAtExit=" + ARCHIVE),
                        sameJvm,
                        List.of("-cp", JAR, CdsTraining.class.getName())));
        assertThat(check.execForm())
                .as("%s", check)
                .containsExactlyElementsOf(concat(
                        List.of("java", "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE),
                        sameJvm,
                        List.of("-jar", JAR, "--version")));
        assertThat(jar.instruction().line()).as("the jar is in place first").isLessThan(training.line());
        assertThat(training.line()).isLessThan(check.line());
    }

    /**
     * The postinst trains the package's archive with the unit's options but its system properties and
     * -XX:+ExitOnOutOfMemoryError, which the archive does not depend on (DebCdsArchiveIT: the unit's ExecStart loads
     * the broker's classes from it).
     */
    @Test
    void thePostinstTrainsThePackagesArchiveWithTheUnitsOptionsButForPropertiesAndTheExitOnOutOfMemory()
            throws IOException {
        List<String> expected = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=\"$new\""));
        PackagingFiles.unitJvmOptions().stream()
                .filter(option -> !option.startsWith("-D")
                        && !option.equals("-XX:+ExitOnOutOfMemoryError")
                        && !option.startsWith("-XX:SharedArchiveFile=")
                        && !option.startsWith("-Xlog:cds"))
                .forEach(expected::add);

        assertThat(postinstTrainingOptions()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private List<String> entrypointOptions() {
        return Dockerfile.jvmOptions(dockerfile.entrypointJava());
    }

    /** The postinst's training command (continued lines joined) between {@code /usr/bin/java} and {@code -cp}. */
    private static List<String> postinstTrainingOptions() throws IOException {
        String script = Files.readString(POSTINST).replace("\\\n", " ");
        List<String> words = script.lines()
                .filter(line -> line.contains("-XX:ArchiveClassesAtExit="))
                .reduce((first, second) -> {
                    throw new AssertionError("two training commands: " + first + ", " + second);
                })
                .map(line -> List.of(line.strip().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no -XX:ArchiveClassesAtExit= in " + POSTINST));
        int java = words.indexOf("/usr/bin/java");
        int classpath = words.indexOf("-cp");
        assertThat(java).as("%s", words).isNotNegative().isLessThan(classpath);
        return words.subList(java + 1, classpath);
    }

    /** The command {@code start}, then the JVM options, then {@code end}. */
    private static List<String> concat(List<String> start, List<String> options, List<String> end) {
        return Stream.of(start, options, end).flatMap(List::stream).toList();
    }
}
