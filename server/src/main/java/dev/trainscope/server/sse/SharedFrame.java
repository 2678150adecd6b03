package dev.trainscope.server.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * SSE bytes encoded once and written to every subscriber: one direct buffer, of which each write
 * takes a duplicate (its own indices, the same memory). A heap buffer per subscriber cost a copy
 * into a direct buffer on every write; a burst to a thousand streams made a thousand copies of the
 * same bytes.
 *
 * <p>Its duplicates ignore release: the memory is the JDK's, freed by the garbage collector once no
 * frame and no pending write refers to it, so no stream can free it under another one.
 */
public final class SharedFrame {
  private final ByteBuf shared;

  private SharedFrame(ByteBuf shared) {
    this.shared = shared;
  }

  /** A copy of {@code bytes}, which may change afterwards. */
  public static SharedFrame of(byte[] bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
    direct.put(bytes).flip();
    return new SharedFrame(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
  }

  /** A buffer of the frame for one write; it must not be written to. */
  public ByteBuf buffer() {
    return shared.duplicate();
  }

  public int size() {
    return shared.readableBytes();
  }
}
