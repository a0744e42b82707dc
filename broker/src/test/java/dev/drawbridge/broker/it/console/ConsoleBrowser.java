package dev.drawbridge.broker.it.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through Debian's chromium-driver (never a driver fetched by Selenium Manager),
 * for the console's browser tests: started with its own profile, its console log kept so that a test can ask what
 * the Content-Security-Policy refused.
 */
final class ConsoleBrowser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private ConsoleBrowser() {}

    /** Skips the test only outside CI when chromium is not installed; in CI ({@code CI=true}) it runs or fails. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Assumptions.assumeTrue(
                installed || "true".equals(System.getenv("CI")),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    }

    /** A headless chromium with its profile in {@code dir/chromium-profile}. */
    static ChromeDriver start(Path dir) throws IOException {
        return start(dir, options -> {});
    }

    /** Like {@link #start(Path)}, with more options set by {@code more} (downloads, certificates). */
    static ChromeDriver start(Path dir, Consumer<ChromeOptions> more) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1200,760",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        more.accept(options);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
        return browser;
    }

    /** Saves the page as {@code target/console-screenshots/console-PAGE.png}. */
    static Path screenshot(ChromeDriver browser, String page) throws IOException {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        return Files.write(SCREENSHOTS.resolve("console-" + page + ".png"), png);
    }

    /** The bytes the browser fetched for the page (document, style sheet, script, API answers so far). */
    static long weight(ChromeDriver browser) {
        Object total = ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntries()"
                        + ".filter(e => e.entryType === 'navigation' || e.entryType === 'resource')"
                        + ".reduce((sum, e) => sum + (e.encodedBodySize || 0), 0);");
        return ((Number) total).longValue();
    }

    /** What the browser's console reported its Content-Security-Policy refused, since the last call. */
    static List<String> refusedByPolicy(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused"))
                .toList();
    }
}
