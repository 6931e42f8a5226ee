package io.github.visitcounter.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person at a browser: headless Chromium opens the page on the published port and
 * clicks "Visit again".
 */
@SystemTest
class BrowserIT {

	private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

	private final ComposeStack stack;

	private ChromeDriver browser;

	BrowserIT(ComposeStack stack) {
		this.stack = stack;
	}

	@BeforeEach
	void openBrowser() throws IOException {
		ChromeOptions options = new ChromeOptions().addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
				"--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--no-first-run", "--window-size=1100,900",
				"--user-data-dir=" + Files.createTempDirectory("chromium"));
		ChromeDriverService.Builder service = new ChromeDriverService.Builder();
		// Debian's Chromium and driver where installed; else Selenium finds Chrome
		if (Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
			options.setBinary("/usr/bin/chromium");
			service.usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile());
		}
		this.browser = new ChromeDriver(service.build(), options);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void visitAgainRaisesTheNumberAndChangesTheReplicaWithoutReloading() throws IOException {
		this.browser.get(this.stack.uri("/").toString());
		Object pageMarker = this.browser.executeScript("return window.visitCounterMarker = Math.random();");
		List<Long> numbers = new ArrayList<>(List.of(number()));
		List<String> hostnames = new ArrayList<>(List.of(hostname()));

		for (int click = 0; click < 5; click++) {
			long before = numbers.get(numbers.size() - 1);
			this.browser.findElement(By.id("visit-again")).click();
			new WebDriverWait(this.browser, Duration.ofSeconds(10)).until((WebDriver driver) -> number() > before);
			numbers.add(number());
			hostnames.add(hostname());
		}
		System.out.printf("Browser saw visit numbers %s from %s%n", numbers, hostnames);

		assertThat(numbers).isSorted().doesNotHaveDuplicates();
		assertThat(hostnames).doesNotContainNull();
		for (int i = 1; i < hostnames.size(); i++) {
			assertThat(hostnames.get(i)).as("replica after click %d", i).isNotEqualTo(hostnames.get(i - 1));
		}
		assertThat(hostnames.stream().distinct()).hasSize(3);
		assertThat(this.browser.executeScript("return window.visitCounterMarker;")).as("no full reload")
			.isEqualTo(pageMarker);

		Files.createDirectories(SCREENSHOTS);
		Path screenshot = SCREENSHOTS.resolve("visit-counter-page.png");
		Files.write(screenshot, this.browser.getScreenshotAs(OutputType.BYTES));
		assertThat(screenshot).isNotEmptyFile();
	}

	private long number() {
		return Long.parseLong(this.browser.findElement(By.id("visit-number")).getText().trim());
	}

	private String hostname() {
		return this.browser.findElement(By.id("hostname")).getText().trim();
	}

}
