package io.github.visitcounter.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One connection written to byte for byte, for the requests no HTTP client would send:
 * pipelined, malformed, hostile. Each response is read to its end, so the connection can
 * be used again. A response that does not come within five seconds fails the read.
 */
final class RawHttpConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	RawHttpConnection(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(5000);
		this.in = this.socket.getInputStream();
	}

	/** Sends one request, exactly as written ({@code \n} is sent as CRLF). */
	RawHttpConnection send(String request) throws IOException {
		this.socket.getOutputStream().write(request.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
		return this;
	}

	/** Sends {@code GET} requests for these paths in one write. */
	void get(String... paths) throws IOException {
		StringBuilder requests = new StringBuilder();
		for (String path : paths) {
			requests.append("GET ").append(path).append(" HTTP/1.1\nHost: localhost\n\n");
		}
		send(requests.toString());
	}

	/** Reads this many responses and returns their statuses. */
	List<Integer> statuses(int responses) throws IOException {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < responses; i++) {
			statuses.add(response().status());
		}
		return statuses;
	}

	/** Reads one response. */
	Response response() throws IOException {
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
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (chunked) {
			for (long size = Long.parseLong(readLine().trim(), 16); size > 0; size = Long.parseLong(readLine().trim(),
					16)) {
				body.write(this.in.readNBytes((int) size));
				readLine();
			}
			readLine();
		}
		else {
			body.write(this.in.readNBytes((int) length));
		}
		return new Response(head, body.toString(StandardCharsets.UTF_8));
	}

	/**
	 * Whether the server has closed the connection (reads until it has, or fails). A
	 * reset counts: bytes the client was still sending when the server closed make the
	 * server's kernel answer with one instead of the end of the stream.
	 */
	boolean closedByServer() throws IOException {
		try {
			return this.in.read() == -1;
		}
		catch (SocketException ex) {
			if ("Connection reset".equals(ex.getMessage())) {
				return true;
			}
			throw ex;
		}
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

	/**
	 * @param head the status line and the header lines
	 * @param body the body, decoded as UTF-8
	 */
	record Response(List<String> head, String body) {

		int status() {
			return Integer.parseInt(this.head.get(0).split(" ")[1]);
		}

		String version() {
			return this.head.get(0).split(" ")[0];
		}

		String header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			return this.head.stream()
				.skip(1)
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
				.map((line) -> line.substring(prefix.length()).trim())
				.findFirst()
				.orElse(null);
		}

	}

}
