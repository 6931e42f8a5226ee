package io.github.visitcounter.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Bytes on a socket, for the requests that no well-behaved HTTP client would send.
 */
final class RawHttp {

	private static final int MAX_RESPONSE = 64 * 1024;

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	/** Sends the request and reads until the server closes or goes quiet. */
	String exchange(String request) {
		return exchange(request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(5));
	}

	String exchange(byte[] request, Duration quiet) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout((int) quiet.toMillis());
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer (413, 431) and close before reading it all
			}
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(InputStream in) throws IOException {
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int read;
			while (response.size() < MAX_RESPONSE && (read = in.read(buffer)) != -1) {
				response.write(buffer, 0, read);
			}
		}
		catch (SocketTimeoutException ex) {
			// quiet for long enough: what arrived is the answer
		}
		catch (IOException ex) {
			if (response.size() == 0) {
				throw ex;
			}
		}
		return response.toString(StandardCharsets.ISO_8859_1);
	}

	/** The status code of the first response in {@code raw}, or 0 when there is none. */
	static int status(String raw) {
		if (!raw.startsWith("HTTP/1.")) {
			return 0;
		}
		return Integer.parseInt(raw.substring(9, 12));
	}

	int port() {
		return this.port;
	}

}
