package io.github.visitcounter.counter.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageAssetsTests {

	@Test
	void hashIsTheCspHashSourceOfTheExactText() {
		// The example of the CSP Level 3 specification
		assertThat(PageAssets.hash("alert('Hello, world.');"))
			.isEqualTo("sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=");
		assertThat(PageAssets.hash("alert('Hello, world.');\n"))
			.isNotEqualTo(PageAssets.hash("alert('Hello, world.');"));
	}

	@Test
	void styleAndScriptAreReadFromTheClasspathAndHashed() {
		PageAssets assets = new PageAssets();
		assertThat(assets.style()).contains(".card {");
		assertThat(assets.script()).contains("getElementById('visit-again')", "fetch('api/visits'");
		assertThat(assets.styleHash()).isEqualTo(PageAssets.hash(assets.style()));
		assertThat(assets.scriptHash()).isEqualTo(PageAssets.hash(assets.script()));
	}

}
