package dev.trainscope.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests byte for byte as a given client writes them (e.g. Python's {@code requests}), over
 * a plain socket, so tests reproduce the wire exactly (including paths like {@code //publish/}).
 */
final class RawHttp {
  private RawHttp() {}

  record Reply(int status, Map<String, String> headers, String body) {}

  /** User-Agent of the {@code requests} version the tests imitate. */
  static final String REQUESTS_UA = "python-requests/2.31.0";

  /**
   * {@code requests.post(url, data)} / {@code requests.post(url, json=..)}: the headers requests
   * 2.31 sends, in its order, then {@code extra} headers (e.g. RemoteMonitor's {@code headers=}).
   */
  static Reply requestsPost(
      int port, String path, String contentType, String body, Map<String, String> extra)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(path).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("User-Agent: ").append(REQUESTS_UA).append("\r\n");
    head.append("Accept-Encoding: gzip, deflate\r\n");
    head.append("Accept: */*\r\n");
    head.append("Connection: keep-alive\r\n");
    extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(bytes.length).append("\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("\r\n");
    return send(port, head.toString().getBytes(StandardCharsets.US_ASCII), bytes);
  }

  /** A POST of exactly these bytes (e.g. invalid UTF-8, which a String body cannot carry). */
  static Reply postBytes(int port, String path, String contentType, byte[] body)
      throws IOException {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    return send(port, head.getBytes(StandardCharsets.US_ASCII), body);
  }

  /** {@code text} as UTF-8 with the byte 0xFF (never valid UTF-8) put where {@code \u0000} is. */
  static byte[] withInvalidByte(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) if (bytes[i] == 0) bytes[i] = (byte) 0xFF;
    return bytes;
  }

  static Reply send(int port, byte[] head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) throw new IOException("connection closed in the response head");
        headBytes.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] content = in.readNBytes(length);
      return new Reply(status, headers, new String(content, StandardCharsets.UTF_8));
    }
  }
}
