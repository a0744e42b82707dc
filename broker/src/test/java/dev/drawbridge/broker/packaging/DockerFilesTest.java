package dev.drawbridge.broker.packaging;

import static dev.drawbridge.broker.packaging.PackagingFiles.DEVICE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKER;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKERFILE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKERIGNORE;
import static dev.drawbridge.broker.packaging.PackagingFiles.DOCKER_CONF;
import static dev.drawbridge.broker.packaging.PackagingFiles.ENTRYPOINT_SCRIPT;
import static dev.drawbridge.broker.packaging.PackagingFiles.HEALTHCHECK;
import static dev.drawbridge.broker.packaging.PackagingFiles.REPOSITORY;
import static dev.drawbridge.broker.packaging.PackagingFiles.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.broker.packaging.ComposeFile.Mount;
import dev.drawbridge.broker.packaging.ComposeFile.Port;
import dev.drawbridge.broker.packaging.Dockerfile.Copy;
import dev.drawbridge.broker.packaging.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * docker/Dockerfile, its compose files and its mosquitto.conf agree on every path, port and command, checked without a
 * container engine (DockerEntrypointIT then runs the ENTRYPOINT and the compose clients as processes).
 */
class DockerFilesTest {

    private static final String CONFIG = "/mosquitto/config/mosquitto.conf";
    private static final String DATA = "/mosquitto/data";
    private static final String LOG = "/mosquitto/log";
    private static final String JAR = "/opt/drawbridge/drawbridge.jar";

    private final Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);
    private final ConfLines conf = ConfLines.read(DOCKER_CONF);
    private final ComposeFile compose = PackagingFiles.compose();
    private final ComposeFile composeTls = PackagingFiles.composeTls(Path.of("/srv/pki"));

    @Test
    void theImageIsBuiltWithMavenOnJdk17AndRunsOnAJre17() {
        Stage build = dockerfile.stage("build");

        assertThat(dockerfile.stages()).hasSize(2);
        assertThat(build.image()).startsWith("maven:").endsWith("-17");
        assertThat(build.from().flag("platform"))
                .as("the jar is the same on every platform")
                .hasValue("$BUILDPLATFORM");
        assertThat(dockerfile.image().image()).isEqualTo("eclipse-temurin:17-jre");
    }

    @Test
    void everyImageIsNamedByItsDockerHubShortName() {
        List<String> images = new ArrayList<>();
        dockerfile.stages().forEach(stage -> images.add(stage.image()));
        for (ComposeFile file : List.of(compose, composeTls)) {
            file.serviceNames()
                    .forEach(service -> images.add(file.value(service, "image").orElseThrow()));
        }

        assertThat(images).allSatisfy(image -> {
            String first = image.split("/")[0];
            assertThat(image.contains("/") && (first.contains(".") || first.contains(":") || first.equals("localhost")))
                    .as("%s names a registry host", image)
                    .isFalse();
        });
    }

    @Test
    void theBuildStageHasEveryModulePomAndTheSourcesOfTheBrokerAndItsModules() throws Exception {
        Stage build = dockerfile.stage("build");
        Set<String> copied = new TreeSet<>();
        build.copies().forEach(copy -> copied.addAll(copy.sources()));
        Set<String> needed = new TreeSet<>(List.of("pom.xml"));
        for (String module : xpath(REPOSITORY.resolve("pom.xml"), "/project/modules/module")) {
            needed.add(module + "/pom.xml");
        }
        for (String module : modulesOfTheBroker()) {
            needed.add(module + "/src");
        }
        if (Files.isDirectory(REPOSITORY.resolve(".mvn"))) {
            needed.add(".mvn"); // jvm.config and extensions change how Maven builds
        }

        assertThat(copied).containsAll(needed);
        copied.forEach(source -> assertThat(REPOSITORY.resolve(source)).exists());
        assertThat(String.join(
                        "\n",
                        build.all("RUN").stream()
                                .map(Dockerfile.Instruction::arguments)
                                .toList()))
                .contains("mvn ", " -pl broker -am ", " package ");
    }

    @Test
    void theJarCopiedIntoTheImageIsTheOneTheBuildStageBuilds() throws Exception {
        Stage build = dockerfile.stage("build");
        String finalName = xpath(
                        REPOSITORY.resolve("broker/pom.xml"),
                        "/project/build/plugins/plugin[artifactId='maven-shade-plugin']//finalName")
                .get(0);
        Copy jar = dockerfile.image().copies().stream()
                .filter(copy -> copy.from().isPresent())
                .collect(single());

        assertThat(jar.from()).hasValue("build");
        assertThat(jar.sources()).containsExactly(build.workdir() + "/broker/target/" + finalName + ".jar");
        assertThat(jar.destination()).isEqualTo(JAR).isEqualTo(dockerfile.entrypointArgument("-jar"));
    }

    @Test
    void theEntrypointIsJavaWithJvmOptionsThenTheJarAndTheConfigFileOfTheConfigVolume() {
        List<String> entrypoint = dockerfile.entrypoint();
        int jar = entrypoint.indexOf("-jar");
        Copy confCopy = dockerfile.image().copies().stream()
                .filter(copy -> copy.destination().equals(CONFIG))
                .collect(single());

        Copy script = dockerfile.image().copies().stream()
                .filter(copy -> copy.destination().equals(entrypoint.get(0)))
                .collect(single());

        assertThat(script.sources())
                .containsExactly(REPOSITORY.relativize(ENTRYPOINT_SCRIPT).toString());
        assertThat(script.chmod()).hasValue("0755");
        assertThat(entrypoint.get(1)).isEqualTo("java");
        // JVM options: -X... and system properties (Netty's allocator, -Dio.netty.allocator.*).
        assertThat(entrypoint.subList(2, jar))
                .isNotEmpty()
                .allMatch(option -> option.startsWith("-X") || option.startsWith("-D"));
        assertThat(entrypoint.subList(jar, entrypoint.size())).containsExactly("-jar", JAR, "-c", CONFIG);
        assertThat(dockerfile.volumes()).containsExactly("/mosquitto/config", DATA, LOG);
        assertThat(confCopy.sources())
                .containsExactly(REPOSITORY.relativize(DOCKER_CONF).toString());
        assertThat(dockerfile.image().workdir()).isEqualTo("/mosquitto/config");
    }

    @Test
    void theExposedPortsAreTheListenersOfTheDefaultAndTheTlsConfigurations() {
        Set<Integer> listeners = new TreeSet<>(conf.listenerPorts());
        composeTls.ports("broker").forEach(port -> listeners.add(port.containerPort()));

        assertThat(conf.listenerPorts()).containsExactly(1883);
        assertThat(new TreeSet<>(dockerfile.exposedPorts()))
                .isEqualTo(listeners)
                .containsExactly(1883, 8883);
    }

    @Test
    void theStoreAndTheLogAreInVolumesTheImageUserOwnsAndTheBrokerNeverRunsAsRoot() throws IOException {
        String script = Files.readString(ENTRYPOINT_SCRIPT);
        String setup = String.join(
                "\n",
                dockerfile.image().all("RUN").stream()
                        .map(Dockerfile.Instruction::arguments)
                        .toList());

        assertThat(conf.value("persistence")).isEqualTo("true");
        assertThat(conf.value("persistence_location")).isEqualTo(DATA + "/");
        assertThat(conf.values("log_dest"))
                .allMatch(dest -> !dest.startsWith("file ") || dest.startsWith("file " + LOG + "/"));
        assertThat(conf.value("allow_anonymous")).isEqualTo("true");
        assertThat(Files.readAllLines(DOCKER_CONF).stream().filter(line -> line.contains("NO PASSWORD")))
                .as("allow_anonymous true carries a loud comment")
                .isNotEmpty();
        // As eclipse-mosquitto 2.1: the container starts as root, the entrypoint script drops to PUID:PGID.
        assertThat(dockerfile.image().all("USER")).isEmpty();
        assertThat(script)
                .contains("PUID=\"${PUID:-1883}\"", "PGID=\"${PGID:-1883}\"") // eclipse-mosquitto's uid and gid
                .contains("exec setpriv --reuid=\"$PUID\" --regid=\"$PGID\" --clear-groups -- \"$@\"");
        assertThat(setup).contains("--gid 1883", "--uid 1883", "chown drawbridge:drawbridge " + DATA + " " + LOG);
    }

    @Test
    void theHealthcheckProbesTheConfiguredListenerWithTheScriptCopiedIntoTheImage() throws IOException {
        List<String> healthcheck = dockerfile.healthcheck();
        Copy script = dockerfile.image().copies().stream()
                .filter(copy -> copy.destination().equals(healthcheck.get(0)))
                .collect(single());

        assertThat(healthcheck).hasSize(2);
        assertThat(Integer.valueOf(healthcheck.get(1))).isIn(conf.listenerPorts());
        assertThat(script.sources())
                .containsExactly(REPOSITORY.relativize(HEALTHCHECK).toString());
        assertThat(script.chmod()).hasValue("0755");
        assertThat(Files.readAllLines(HEALTHCHECK).get(0)).isEqualTo("#!/bin/bash"); // the JRE image has bash
    }

    @Test
    void theIgnoreFileKeepsBuildOutputAndKeysOutButEverythingTheBuildCopiesIn() throws IOException {
        List<String> patterns = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        List<PathMatcher> matchers = patterns.stream()
                .map(pattern -> FileSystems.getDefault().getPathMatcher("glob:" + pattern))
                .toList();
        List<Path> copied = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            for (Copy copy : stage.copies()) {
                if (copy.from().isEmpty()) {
                    for (String source : copy.sources()) {
                        try (Stream<Path> files = Files.walk(REPOSITORY.resolve(source))) {
                            files.map(REPOSITORY::relativize).forEach(copied::add);
                        }
                    }
                }
            }
        }

        assertThat(patterns).contains(".git", "**/target", "**/*.key");
        assertThat(copied).isNotEmpty().allSatisfy(file -> {
            for (Path part = file; part != null; part = part.getParent()) {
                Path current = part;
                assertThat(matchers).noneMatch(matcher -> matcher.matches(current));
            }
        });
    }

    @Test
    void theComposeBrokerIsTheImageWithItsConfigDataAndLogMounted() throws IOException {
        Path context = DOCKER.resolve(
                        compose.value("broker", "build", "context").orElseThrow())
                .normalize();
        String configDirectory = Path.of(CONFIG).getParent().toString();
        List<Mount> volumes = compose.volumes("broker");
        Mount config =
                volumes.stream().filter(m -> m.target().equals(configDirectory)).collect(single());

        assertThat(context).isEqualTo(REPOSITORY);
        assertThat(context.resolve(
                        compose.value("broker", "build", "dockerfile").orElseThrow()))
                .isEqualTo(DOCKERFILE);
        assertThat(compose.value("broker", "image"))
                .hasValueSatisfying(image -> assertThat(image).startsWith("drawbridge"));
        assertThat(compose.ports("broker")).allSatisfy(port -> {
            assertThat(port.containerPort()).isIn(conf.listenerPorts()).isIn(dockerfile.exposedPorts());
            assertThat(port.hostPort()).hasValue(port.containerPort());
        });
        assertThat(config.readOnly()).isTrue();
        assertThat(Files.readString(DOCKER.resolve(config.source()).resolve("mosquitto.conf")))
                .isEqualTo(Files.readString(DOCKER_CONF));
        assertThat(volumes)
                .filteredOn(Mount::namedVolume)
                .extracting(Mount::target)
                .containsExactlyInAnyOrder(DATA, LOG);
        assertThat(volumes)
                .extracting(Mount::target)
                .allMatch(target -> dockerfile.volumes().contains(target));
        assertThat(compose.healthcheck("broker"))
                .as("the image's HEALTHCHECK applies")
                .isEmpty();
    }

    @Test
    void theTutorialClientsReachTheBrokerServiceOnItsListenerOnceItIsHealthy() {
        List<String> subscriber = compose.command("subscriber");
        List<String> publisher = compose.command("publisher");
        String loop = publisher.get(2);

        assertThat(compose.serviceNames()).containsExactlyInAnyOrder("broker", "subscriber", "publisher");
        assertThat(subscriber)
                .startsWith("mosquitto_sub")
                .containsSequence("-h", "broker")
                .doesNotContain("-p");
        assertThat(publisher.subList(0, 2)).containsExactly("sh", "-c");
        assertThat(loop)
                .startsWith("while true; do mosquitto_pub -h broker -t ")
                .doesNotContain(" -p ");
        assertThat(conf.listenerPorts()).contains(1883); // the clients' default port
        assertThat(PackagingFiles.matches(argument(subscriber, "-t"), word(loop, "-t")))
                .isTrue();
        for (String client : List.of("subscriber", "publisher")) {
            assertThat(compose.value(client, "image")).hasValue("eclipse-mosquitto:2");
            assertThat(compose.value(client, "depends_on", "broker", "condition"))
                    .hasValue("service_healthy");
        }
    }

    @Test
    void theTlsComposeMountsTheQuickstartDirectoryReadOnlyAtItsOwnPathAndItsConfAtTheImagesConfigPath() {
        List<Mount> volumes = composeTls.volumes("broker");
        String pki = "/srv/pki";

        assertThat(composeTls.value("broker", "build", "context"))
                .isEqualTo(compose.value("broker", "build", "context"));
        assertThat(composeTls.value("broker", "image")).isEqualTo(compose.value("broker", "image"));
        assertThat(volumes).contains(new Mount(pki, pki, true), new Mount(pki + "/mosquitto.conf", CONFIG, true));
        assertThat(volumes)
                .filteredOn(Mount::namedVolume)
                .extracting(Mount::target)
                .containsExactlyInAnyOrder(DATA, LOG);
        assertThat(composeTls.ports("broker")).extracting(Port::containerPort).containsExactly(8883);
        assertThat(composeTls.networkAliases("broker")).containsExactly(SERVER);
        assertThat(composeTls.value("broker", "user")).hasValue("1883:1883");
    }

    @Test
    void theTlsClientsUseTheDevicesQuickstartCertificateAgainstTheServerName() {
        String pki = "/srv/pki/ca/";
        List<String> subscriber = composeTls.command("subscriber");
        String loop = composeTls.command("publisher").get(2);

        assertThat(subscriber)
                .startsWith("mosquitto_sub")
                .containsSequence("-h", SERVER, "-p", "8883")
                .containsSequence(
                        "--cafile", pki + "ca.crt", "--cert", pki + DEVICE + ".crt", "--key", pki + DEVICE + ".key");
        assertThat(loop)
                .contains("mosquitto_pub -h " + SERVER + " -p 8883 ")
                .contains(
                        "--cafile '" + pki + "ca.crt'",
                        "--cert '" + pki + DEVICE + ".crt'",
                        "--key '" + pki + DEVICE + ".key'");
        assertThat(argument(subscriber, "-t"))
                .isEqualTo("drawbridge/" + DEVICE + "/#"); // the quickstart ACL's topics for the device
        assertThat(PackagingFiles.matches(argument(subscriber, "-t"), word(loop, "-t")))
                .isTrue();
        for (String client : List.of("subscriber", "publisher")) {
            assertThat(composeTls.volumes(client)).containsExactly(new Mount("/srv/pki", "/srv/pki", true));
            assertThat(composeTls.value(client, "depends_on", "broker", "condition"))
                    .hasValue("service_healthy");
        }
    }

    /** The directories of the broker module and of every drawbridge module it depends on, directly or not. */
    private static Set<String> modulesOfTheBroker() throws Exception {
        Set<String> modules = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of("broker"));
        List<String> all = xpath(REPOSITORY.resolve("pom.xml"), "/project/modules/module");
        while (!pending.isEmpty()) {
            String module = pending.pop();
            if (!modules.add(module)) {
                continue;
            }
            for (String artifact : xpath(
                    REPOSITORY.resolve(module).resolve("pom.xml"),
                    "/project/dependencies/dependency[groupId='dev.drawbridge']/artifactId")) {
                for (String candidate : all) {
                    if (xpath(REPOSITORY.resolve(candidate).resolve("pom.xml"), "/project/artifactId")
                            .contains(artifact)) {
                        pending.push(candidate);
                    }
                }
            }
        }
        return modules;
    }

    private static List<String> xpath(Path pom, String expression) throws Exception {
        Document document =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList nodes =
                (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, document, XPathConstants.NODESET);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().strip());
        }
        return values;
    }

    private static String argument(List<String> command, String option) {
        return command.get(command.indexOf(option) + 1);
    }

    private static String word(String script, String option) {
        return argument(List.of(script.split("\\s+")), option);
    }

    /** Collects the one element there must be. */
    private static <T> Collector<T, ?, T> single() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.get(0);
        });
    }
}
