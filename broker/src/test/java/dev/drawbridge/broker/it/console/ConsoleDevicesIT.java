package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import dev.drawbridge.broker.testing.MosquittoClients.Result;
import dev.drawbridge.keystores.FingerprintAlgorithm;
import dev.drawbridge.keystores.FingerprintFormat;
import dev.drawbridge.keystores.Fingerprints;
import dev.drawbridge.keystores.KeyType;
import dev.drawbridge.keystores.PemFiles;
import dev.drawbridge.keystores.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The devices page in a real browser (headless chromium) on an HTTPS console: log in, issue a device certificate,
 * download its bundle, connect with {@code mosquitto_pub} over mutual TLS with the bundle's files and see the message
 * arrive, revoke it in the page and see its next TLS connection refused while another device still connects.
 */
class ConsoleDevicesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private DevicesBroker broker;
    private ChromeDriver browser;
    private Path downloads;
    private final List<ClientProcess> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled();
        broker = DevicesBroker.start(dir, true, true, null);
        // A device whose certificate ends in 20 days: shown amber.
        broker.ca.issueClient(broker.ca.open(null), "porch", KeyType.EC, 20, WriteMode.CREATE_NEW);
        Files.createDirectories(Path.of("target"));
        downloads = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-downloads-");
        browser = ConsoleBrowser.start(dir, options -> {
            // The console's certificate is from the test's own CA, which this profile does not know.
            options.setAcceptInsecureCerts(true);
            options.setExperimentalOption(
                    "prefs",
                    Map.of(
                            "download.default_directory", downloads.toString(),
                            "download.prompt_for_download", false,
                            "safebrowsing.enabled", false));
        });
        browser.executeCdpCommand(
                "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterEach
    void stop() throws IOException {
        clients.forEach(ClientProcess::close);
        if (browser != null) {
            browser.quit();
        }
        if (broker != null) {
            broker.close();
        }
        if (downloads != null) {
            try (Stream<Path> files = Files.walk(downloads)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void issueDownloadConnectWithTheBundleRevokeAndBeRefused() throws Exception {
        String base = broker.console.base("https");
        browser.get(base + "/devices");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/"));
        browser.get(base + "/devices");
        assertThat(rowText("gate")).contains("device").contains("ok");
        List<String> caBefore = List.copyOf(broker.caFiles().keySet());

        browser.findElement(By.id("device-name")).sendKeys("garage");
        browser.findElement(By.id("issue-button")).click();
        Path zip = downloads.resolve("garage.zip");
        await().atMost(WAIT).until(() -> Files.isRegularFile(zip) && !hasPartialDownload());
        Path bundle = unzip(zip, dir.resolve("bundle"));

        Path files = bundle.resolve("garage");
        try (Stream<Path> list = Files.list(files)) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "README.txt",
                            "garage.crt",
                            "garage.key",
                            "garage.der",
                            "garage.key.der",
                            "ca.crt",
                            "ca.der",
                            "server-sha1.txt",
                            "device.yml");
        }
        assertThat(Files.readString(files.resolve("server-sha1.txt")))
                .as("as pki fingerprint --sha1 --format esp8266 prints it")
                .isEqualTo(Fingerprints.of(
                                PemFiles.readCertificate(broker.caDir.resolve("broker.crt")),
                                FingerprintAlgorithm.SHA1,
                                FingerprintFormat.ESP8266)
                        + "\n");
        assertThat(PemFiles.readCertificate(files.resolve("garage.der")))
                .isEqualTo(PemFiles.readCertificate(files.resolve("garage.crt")));
        assertThat(Files.readString(files.resolve("device.yml")))
                .contains("  host: \"localhost\"\n  port: " + broker.tlsPort + "\n")
                .contains("  certificate: \"garage.crt\"\n  key: \"garage.key\"\n  ca: \"ca.crt\"\n")
                .contains("  node-id: \"garage\"");
        assertThat(broker.caFiles().keySet())
                .as("only the certificate is kept: no key, no stray file")
                .containsExactlyInAnyOrderElementsOf(with(caBefore, "garage.crt"));
        assertThat(PemFiles.readCertificate(broker.caDir.resolve("garage.crt")))
                .isEqualTo(PemFiles.readCertificate(files.resolve("garage.crt")));

        ClientProcess watcher =
                MosquittoClients.subscribed(broker.console.mqttPort(), "-t", "drawbridge/#", "-v", "-q", "1");
        clients.add(watcher);
        Result before = publish(files, "garage", "open");
        assertThat(before.exitCode()).as("%s", before).isZero();
        watcher.awaitLine("drawbridge/garage/state open"::equals, WAIT);

        browser.get(base + "/devices");
        assertThat(rowText("garage")).contains("device").contains("ok");
        assertThat(rowText("porch")).contains("19").contains("expiring");
        assertThat(browser.findElement(By.cssSelector("#certificates tr[data-name='porch']"))
                        .getCssValue("background-color"))
                .as("the style sheet colours a certificate ending within 30 days")
                .isEqualTo("rgba(255, 248, 225, 1)");
        assertThat(browser.findElement(By.cssSelector("#certificates tr[data-name='gate']"))
                        .getCssValue("background-color"))
                .isEqualTo("rgba(0, 0, 0, 0)");
        long weight = ConsoleBrowser.weight(browser);
        System.out.printf("console page devices: %d bytes%n", weight);
        assertThat(weight).isPositive().isLessThan(200 * 1024);

        browser.findElement(By.id("revoke-garage")).click();
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.tagName("h1")).getText().equals("Revoke garage?"));
        browser.findElement(By.id("confirm")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("notice")).isEmpty());
        assertThat(browser.findElement(By.id("notice")).getText())
                .isEqualTo("Revoked garage and rewrote crl.pem. The TLS listeners were reloaded: its next connection"
                        + " is refused.");
        assertThat(rowText("garage")).contains("revoked");
        // The screenshot for the README shows a CA directory of a real setup, not the test's temporary one.
        ((JavascriptExecutor) browser)
                .executeScript(
                        "document.querySelector('main p.sub').textContent = 'CA directory /etc/drawbridge/pki/ca';");
        Path shot = ConsoleBrowser.screenshot(browser, "devices");
        assertThat(Files.size(shot)).isPositive();

        Result after = publish(files, "garage", "after");
        Result gate = publish(broker.caDir, "gate", "closed");
        assertThat(after.exitCode()).as("the revoked device: %s", after).isNotZero();
        assertThat(gate.exitCode()).as("another device: %s", gate).isZero();
        watcher.awaitLine("drawbridge/gate/state closed"::equals, WAIT);
        assertThat(watcher.stdout()).doesNotContain("drawbridge/garage/state after");

        assertThat(ConsoleBrowser.refusedByPolicy(browser))
                .as("anything the page tried that its policy refused")
                .isEmpty();
    }

    /** The device publishes {@code message} to its own state topic with the files in {@code folder}. */
    private Result publish(Path folder, String device, String message) throws Exception {
        return MosquittoClients.pubTls(broker.tlsPort, folder, device, "drawbridge/" + device + "/state", message);
    }

    /** The text of the certificate table's row for {@code name}. */
    private String rowText(String name) {
        return browser.findElement(By.cssSelector("#certificates tr[data-name='" + name + "']"))
                .getText();
    }

    private boolean hasPartialDownload() throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        }
    }

    private static Path unzip(Path zip, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream entries = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(into))
                        .as("%s stays in the folder", entry.getName())
                        .isTrue();
                Files.createDirectories(target.getParent());
                Files.write(target, entries.readAllBytes());
            }
        }
        return into;
    }

    private static List<String> with(List<String> files, String file) {
        List<String> all = new ArrayList<>(files);
        all.add(file);
        return all;
    }
}
