package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags the benchmarks give Drawbridge ({@code bench/java-opts}) are the Debian unit's, but for the differences
 * bench/README.md gives reasons for: a benchmark figure stands for the shipped broker only while that holds.
 */
class BenchJavaOptionsTest {

    private static final Path BENCH_OPTIONS = REPOSITORY.resolve("bench/java-opts");
    private static final Path UNIT = REPOSITORY.resolve("broker/src/deb/root/lib/systemd/system/drawbridge.service");

    /** The package's flag, and the bench's in its place: the heap and stacks of a 1 GB board. */
    private static final Map<String, String> SMALL_BOX = Map.of("-Xmx256m", "-Xmx128m", "-Xss512k", "-Xss256k");

    @Test
    void theBenchFlagsAreTheUnitsWithTheSmallBoxHeapAndStacksAndNoServiceOnlyFlags() throws IOException {
        List<String> unit = unitJvmOptions();
        List<String> expected = unit.stream()
                .filter(option -> !serviceOnly(option))
                .map(option -> SMALL_BOX.getOrDefault(option, option))
                .toList();

        assertThat(unit).as("the unit's flags").containsAll(SMALL_BOX.keySet());
        assertThat(benchOptions())
                .as("bench/java-opts against the unit's ExecStart")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The flags only an installed service wants: its class-data-sharing archive, and exiting for systemd to restart. */
    private static boolean serviceOnly(String option) {
        return option.startsWith("-Xshare:")
                || option.startsWith("-XX:SharedArchiveFile=")
                || option.startsWith("-Xlog:cds")
                || option.equals("-XX:+ExitOnOutOfMemoryError");
    }

    /** The flags of bench/java-opts: its one line that is not a comment. */
    private static List<String> benchOptions() throws IOException {
        List<String> lines = Files.readAllLines(BENCH_OPTIONS).stream()
                .filter(line -> !line.startsWith("#"))
                .toList();
        assertThat(lines).as("bench/java-opts: one line of flags").hasSize(1);
        return Arrays.asList(lines.get(0).strip().split("\\s+"));
    }

    /** The unit's ExecStart between the java command and -jar. */
    private static List<String> unitJvmOptions() throws IOException {
        List<String> execStart = Files.readAllLines(UNIT).stream()
                .filter(line -> line.startsWith("ExecStart="))
                .map(line -> List.of(line.substring("ExecStart=".length()).split("\\s+")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ExecStart in " + UNIT));
        assertThat(execStart).as("ExecStart").startsWith("/usr/bin/java").contains("-jar");
        return execStart.subList(1, execStart.indexOf("-jar"));
    }
}
