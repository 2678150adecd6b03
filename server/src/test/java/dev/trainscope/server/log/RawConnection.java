package dev.trainscope.server.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One keep-alive HTTP/1.1 connection, opened once and reused for every request. */
final class RawConnection implements AutoCloseable {
  record Reply(int status, String body) {}

  final int port;
  private final Socket socket;

  RawConnection(String url) throws IOException {
    port = URI.create(url).getPort();
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) ChildServer.TIMEOUT.toMillis());
  }

  Reply send(String method, String path, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + bytes.length
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(bytes);
    InputStream in = socket.getInputStream();
    String status = line(in);
    int length = 0;
    String line;
    while (!(line = line(in)).isEmpty()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:"))
        length = Integer.parseInt(lower.substring(15).trim());
    }
    String content = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Reply(Integer.parseInt(status.split(" ")[1]), content);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) throw new IOException("connection closed");
      if (b != '\r') out.write(b);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
