package dev.trainscope.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that runs out of space on demand: after {@link #spaceLeft} more bytes, a write
 * writes what fits (a short write, as {@code write(2)} does) and the next one fails with "No space
 * left on device".
 */
final class FailingChannel extends FileChannel {
  private final FileChannel file;
  private long spaceLeft = Long.MAX_VALUE;
  private volatile java.util.concurrent.CountDownLatch entered;
  private volatile java.util.concurrent.CountDownLatch gate;

  /** The next write signals {@code entered}, then waits for {@code gate} before it goes on. */
  void pauseNextWrite(
      java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch gate) {
    this.entered = entered;
    this.gate = gate;
  }

  private volatile java.util.concurrent.CountDownLatch forceEntered;
  private volatile java.util.concurrent.CountDownLatch forceGate;

  /** The next fsync signals {@code entered}, then waits for {@code gate}: a slow disk. */
  void pauseNextForce(
      java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch gate) {
    this.forceEntered = entered;
    this.forceGate = gate;
  }

  FailingChannel(FileChannel file) {
    this.file = file;
  }

  /** Bytes that can still be written; {@link Long#MAX_VALUE} for no limit. */
  synchronized void spaceLeft(long bytes) {
    spaceLeft = bytes;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    java.util.concurrent.CountDownLatch g = gate;
    if (g != null) {
      gate = null;
      entered.countDown();
      try {
        if (!g.await(10, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException("gate");
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
    }
    return limitedWrite(src);
  }

  private synchronized int limitedWrite(ByteBuffer src) throws IOException {
    if (spaceLeft <= 0) throw new IOException("No space left on device");
    int room = (int) Math.min(spaceLeft, src.remaining());
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + room);
    int n = file.write(part);
    src.position(src.position() + n);
    if (spaceLeft != Long.MAX_VALUE) spaceLeft -= n;
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long n = 0;
    for (int i = offset; i < offset + length; i++) n += write(srcs[i]);
    return n;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    file.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    java.util.concurrent.CountDownLatch g = forceGate;
    if (g != null) {
      forceGate = null;
      forceEntered.countDown();
      try {
        if (!g.await(10, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException("gate");
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
    }
    file.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
