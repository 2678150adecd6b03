package dev.trainscope.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sits right after the HTTP decoder: a request the decoder could not read, or one whose {@code
 * Transfer-Encoding} is anything but {@code chunked}, is answered with a JSON error and the
 * connection is closed. Closing matters: bytes after such a request have no reliable boundary, and
 * reading them as the next request is request smuggling. Everything after it is discarded.
 */
public final class BadRequestHandler extends ChannelInboundHandlerAdapter {
  public static final String NAME = "trainscope.badRequest";
  private boolean discarding;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (discarding) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      Problem problem = problem(request);
      if (problem != null) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        reply(ctx, problem);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private record Problem(HttpResponseStatus status, String message, String field) {}

  private static Problem problem(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        return new Problem(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long", null);
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return new Problem(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large", null);
      }
      if (cause instanceof TooLongFrameException) {
        return new Problem(HttpResponseStatus.BAD_REQUEST, "request too large", null);
      }
      String why = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
      // The decoder drops the headers of a message it rejects: its reason is all there is.
      if (why.toLowerCase().contains("transfer")) return badTransferEncoding(": " + why);
      return new Problem(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + why, null);
    }
    List<String> te = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (te.isEmpty() || (te.size() == 1 && te.get(0).trim().equalsIgnoreCase("chunked"))) {
      return null;
    }
    return badTransferEncoding(" but was \"" + String.join(", ", te) + "\"");
  }

  private static Problem badTransferEncoding(String found) {
    return new Problem(
        HttpResponseStatus.BAD_REQUEST,
        "Transfer-Encoding chunked (or none, with Content-Length) required" + found,
        "Transfer-Encoding");
  }

  private static void reply(ChannelHandlerContext ctx, Problem p) {
    String json =
        "{\"error\":"
            + quote(p.message())
            + ",\"field\":"
            + (p.field() == null ? "null" : quote(p.field()))
            + "}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, p.status(), Unpooled.wrappedBuffer(body));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
