package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadRequestHandlerTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  /** Everything the server sends on one connection until it closes it (or 10 s pass). */
  private String exchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", fx.server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
      } catch (SocketTimeoutException leftOpen) {
        out.write("<still open>".getBytes(StandardCharsets.ISO_8859_1));
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aTransferEncodingOtherThanChunkedIs400AndTheConnectionClosesBeforeASmuggledRequest()
      throws Exception {
    fx = ServerFixture.start(data);
    String body = "{\"external\":true}";
    String smuggled = "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}";
    for (String te : List.of("xchunked", "identity", "chunked, identity", "gzip")) {
      String reply =
          exchange(
              "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
                  + te
                  + "\r\nContent-Length: "
                  + body.length()
                  + "\r\nContent-Type: application/json\r\n\r\n"
                  + body
                  + smuggled);
      assertThat(reply).as(te).startsWith("HTTP/1.1 400 ").doesNotContain("<still open>");
      assertThat(reply.split("HTTP/1.1 ", -1)).as(te + ": one response").hasSize(2);
      assertThat(reply.toLowerCase()).contains("connection: close");
      String json = reply.substring(reply.indexOf("\r\n\r\n") + 4);
      var error = new ObjectMapper().readTree(json);
      assertThat(error.get("error").asText()).as(te).contains("Transfer-Encoding");
      assertThat(error.get("field").asText()).isEqualTo("Transfer-Encoding");
    }
    assertThat(fx.get("/api/runs").json()).isEmpty();
  }

  @Test
  void chunkedBodiesStillWork() throws Exception {
    fx = ServerFixture.start(data);
    String reply =
        exchange(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\n\r\n"
                + "11\r\n{\"external\":true}\r\n0\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 201 ");
  }
}
