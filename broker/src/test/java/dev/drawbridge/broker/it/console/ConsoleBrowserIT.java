package dev.drawbridge.broker.it.console;

import static dev.drawbridge.broker.it.console.ConsoleBroker.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.drawbridge.broker.testing.ClientProcess;
import dev.drawbridge.broker.testing.MosquittoClients;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (Debian's headless chromium through chromium-driver): log in, watch a client appear
 * when {@code mosquitto_sub} connects, disconnect another one, read the log; open the retained tree down to a message
 * {@code mosquitto_pub} retained and watch another one arrive in the live view. Each page is saved as a screenshot under
 * {@code target/console-screenshots} and weighed (under 200 KB with its style sheet and script). The page's script
 * must run under the console's Content-Security-Policy with nothing refused. Skipped only outside CI when chromium
 * is not installed; in CI ({@code CI=true}) it runs or fails.
 */
class ConsoleBrowserIT {

    private static final long MAX_PAGE_BYTES = 200 * 1024;

    @TempDir
    Path dir;

    private ConsoleBroker console;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws IOException {
        ConsoleBrowser.assumeInstalled();
        console = ConsoleBroker.start(dir);
        browser = ConsoleBrowser.start(dir);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    @Timeout(120)
    void logInSeeAClientAppearDisconnectOneAndReadTheLog() throws Exception {
        String base = console.base("http");
        browser.get(base + "/clients");
        assertThat(browser.getCurrentUrl())
                .as("a page without a session leads to the login")
                .endsWith("/login");
        screenshot("login");
        weigh("login");

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.getCurrentUrl().equals(base + "/"));

        Mqtt3BlockingClient phone = MqttClient.builder()
                .useMqttVersion3()
                .identifier("phone")
                .serverHost("127.0.0.1")
                .serverPort(console.mqttPort())
                .buildBlocking();
        phone.connect();
        try {
            for (int i = 0; i < 20; i++) {
                phone.publishWith()
                        .topic("home/garage/door")
                        .payload(new byte[] {1})
                        .send();
            }
            // The overview draws its charts from two readings of /api/overview, two seconds apart.
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> !browser.findElements(By.cssSelector("#chart-in polyline"))
                            .isEmpty());
            assertThat(browser.findElement(By.id("clients")).getText()).isEqualTo("1");
            screenshot("overview");
            weigh("overview");

            browser.get(base + "/clients");
            assertThat(rows()).as("before mosquitto_sub connects").noneMatch(r -> r.contains("garage-door"));
            try (ClientProcess garage = MosquittoClients.subscribed(
                    console.mqttPort(), "-i", "garage-door", "-t", "home/garage/#", "-q", "1")) {
                // No reload: the page's script refreshes the list.
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> rows().stream()
                                .anyMatch(r ->
                                        r.contains("garage-door") && r.contains("127.0.0.1") && r.contains("3.1.1")));
                screenshot("clients");
                weigh("clients");

                // Found and clicked in one script: the page's script replaces the rows every two seconds.
                ((JavascriptExecutor) browser)
                        .executeScript("Array.from(document.querySelectorAll('#clients tbody tr'))"
                                + ".find(r => r.cells[0].textContent === 'phone')"
                                + ".querySelector('button.danger').click();");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !phone.getState().isConnected());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> rows().stream().noneMatch(r -> r.startsWith("phone ")));
                assertThat(rows()).as("the other client stays").anyMatch(r -> r.contains("garage-door"));
                assertThat(garage.isAlive()).isTrue();
            }

            browser.get(base + "/log");
            String log = browser.findElement(By.id("log")).getText();
            assertThat(log).contains("Console user admin disconnected client phone");
            assertThat(log).contains("Console user admin logged in");
            screenshot("log");
            weigh("log");
            browser.get(base + "/log?q=garage-door");
            String filtered = browser.findElement(By.id("log")).getText();
            assertThat(filtered).contains("garage-door").doesNotContain("disconnected client phone");
        } finally {
            if (phone.getState().isConnected()) {
                phone.disconnect();
            }
        }

        List<String> refused = ConsoleBrowser.refusedByPolicy(browser);
        assertThat(refused)
                .as("anything the page tried that its policy refused")
                .isEmpty();
    }

    @Test
    @Timeout(120)
    void seeARetainedMessageInTheTreeAndWatchAPublishedOneArriveLive() throws Exception {
        String base = console.base("http");
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.getCurrentUrl().equals(base + "/"));
        MosquittoClients.Result retained = MosquittoClients.pub(
                console.mqttPort(), "-t", "home/garage/door", "-m", "{\"state\":\"open\"}", "-r", "-q", "1");
        assertThat(retained.exitCode()).as(String.join("\n", retained.stderr())).isZero();

        browser.get(base + "/topics");
        // The tree opens a level at a time: home, then home/garage, then the door's message.
        open("home");
        open("home/garage");
        By door = By.cssSelector("li[data-topic='home/garage/door']");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.findElements(door).isEmpty());
        assertThat(browser.findElement(door).getText())
                .contains("door")
                .contains("{\"state\":\"open\"}")
                .contains("QoS 1");
        assertThat(browser.findElement(By.id("tree-total")).getText()).startsWith("1 retained message");
        weigh("topics");

        browser.findElement(By.id("filter")).sendKeys("home/#");
        browser.findElement(By.id("live-start")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("live-state")).getText().equals("Watching home/#"));
        MosquittoClients.Result live =
                MosquittoClients.pub(console.mqttPort(), "-t", "home/garage/door", "-m", "closing", "-q", "1");
        assertThat(live.exitCode()).isZero();
        By liveRows = By.cssSelector("#live tbody tr");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElements(liveRows).stream()
                        .anyMatch(r -> r.getText().contains("home/garage/door")
                                && r.getText().contains("closing")));
        assertThat(browser.findElements(liveRows))
                .as("the live view starts without the retained messages")
                .noneMatch(r -> r.getText().contains("{\"state\":\"open\"}"));
        screenshot("topics");

        browser.findElement(By.id("filter")).clear();
        browser.findElement(By.id("filter")).sendKeys("home/+x");
        browser.findElement(By.id("live-start")).click();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("live-error")).getText().startsWith("not a valid topic filter"));
        assertThat(ConsoleBrowser.refusedByPolicy(browser))
                .as("anything the page tried that its policy refused")
                .isEmpty();
    }

    /** Clicks the tree node of {@code topic} once it is shown, which loads the level below it. */
    private void open(String topic) {
        By node = By.cssSelector("li[data-topic='" + topic + "'] > button.node");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.findElements(node).isEmpty());
        browser.findElement(node).click();
    }

    /** The client table's rows as text, one per client, read in one script (the rows are replaced as it runs). */
    private List<String> rows() {
        Object rows = ((JavascriptExecutor) browser)
                .executeScript("return Array.from(document.querySelectorAll('#clients tbody tr'))"
                        + ".map(r => Array.from(r.cells).map(c => c.textContent).join(' '));");
        return ((List<?>) rows).stream().map(String::valueOf).toList();
    }

    private void screenshot(String page) throws IOException {
        ConsoleBrowser.screenshot(browser, page);
    }

    /** The bytes the browser fetched for the page (document, style sheet, script, API answers so far). */
    private void weigh(String page) {
        long bytes = ConsoleBrowser.weight(browser);
        System.out.printf("console page %s: %d bytes%n", page, bytes);
        assertThat(bytes).as("%s page weight (bytes)", page).isPositive().isLessThan(MAX_PAGE_BYTES);
    }
}
