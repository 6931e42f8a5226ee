package io.github.visitcounter.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One keep-alive connection, written to byte for byte: requests can be pipelined, which
 * HTTP clients never do, and each response is read to its end so the connection can be
 * used again. A response that does not come within five seconds fails the read.
 */
final class KeepAliveConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	KeepAliveConnection(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(5000);
		this.in = this.socket.getInputStream();
	}

	/** Sends {@code GET} requests for these paths in one write. */
	void get(String... paths) throws IOException {
		StringBuilder requests = new StringBuilder();
		for (String path : paths) {
			requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
		}
		this.socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
	}

	/** Reads this many responses and returns their statuses. */
	List<Integer> statuses(int responses) throws IOException {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < responses; i++) {
			statuses.add(readResponse());
		}
		return statuses;
	}

	private int readResponse() throws IOException {
		List<String> head = new ArrayList<>();
		for (String line = readLine(); !line.isEmpty(); line = readLine()) {
			head.add(line);
		}
		long length = 0;
		boolean chunked = false;
		for (String header : head.subList(1, head.size())) {
			String lowerCase = header.toLowerCase(Locale.ROOT);
			if (lowerCase.startsWith("content-length:")) {
				length = Long.parseLong(lowerCase.substring(15).trim());
			}
			chunked |= lowerCase.startsWith("transfer-encoding:") && lowerCase.contains("chunked");
		}
		if (chunked) {
			for (long size = Long.parseLong(readLine().trim(), 16); size > 0; size = Long.parseLong(readLine().trim(),
					16)) {
				this.in.readNBytes((int) size);
				readLine();
			}
			readLine();
		}
		else {
			this.in.readNBytes((int) length);
		}
		return Integer.parseInt(head.get(0).split(" ")[1]);
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b == -1) {
				throw new IOException("Connection closed by the server");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
