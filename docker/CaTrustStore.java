/**
 * Adds the CA certificates of PEM files to a Java trust store, creating the store where it
 * is missing (some JDK images link cacerts to a store they lack):
 * {@code java CaTrustStore.java <store> <pem>...}. PEM files that do not exist are skipped.
 */
void main(String[] args) throws Exception {
	// Readable without a password, like the JDK's own cacerts
	System.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
	System.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
	var path = java.nio.file.Path.of(args[0]);
	if (java.nio.file.Files.isSymbolicLink(path)) {
		path = path.resolveSibling(java.nio.file.Files.readSymbolicLink(path));
	}
	var store = java.security.KeyStore.getInstance("PKCS12");
	if (java.nio.file.Files.exists(path)) {
		try (var in = java.nio.file.Files.newInputStream(path)) {
			store.load(in, "changeit".toCharArray());
		}
	}
	else {
		store.load(null, null);
		java.nio.file.Files.createDirectories(path.getParent());
	}
	int added = 0;
	var factory = java.security.cert.CertificateFactory.getInstance("X.509");
	for (var pem : java.util.Arrays.copyOfRange(args, 1, args.length)) {
		if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(pem))) {
			try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(pem))) {
				for (var certificate : factory.generateCertificates(in)) {
					var x509 = (java.security.cert.X509Certificate) certificate;
					if (store.getCertificateAlias(x509) == null) {
						store.setCertificateEntry("added-" + x509.getSerialNumber().toString(16) + "-" + added, x509);
						added++;
					}
				}
			}
		}
	}
	try (var out = java.nio.file.Files.newOutputStream(path)) {
		store.store(out, "changeit".toCharArray());
	}
	IO.println(path + ": " + added + " CA certificates added, " + store.size() + " in all");
}
