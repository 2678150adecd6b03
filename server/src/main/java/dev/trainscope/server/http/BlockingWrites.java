package dev.trainscope.server.http;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs a handler's blocking write (create a run, append pushed events) on the disk scheduler so
 * that the client going away cannot interrupt it.
 *
 * <p>With {@code publishOn}/{@code subscribeOn}, a disconnect or timeout cancels the chain, the
 * scheduler's task is disposed and its thread interrupted; an interrupted {@code FileChannel} write
 * or force throws {@code ClosedByInterruptException} and closes the channel, which for a run's log
 * is its writer, for good. Here the write is a task nobody disposes: cancelling only stops waiting
 * for its future ({@code Mono.fromFuture(.., true)} does not cancel it), so the write completes,
 * and is as durable as if the answer had been sent.
 */
final class BlockingWrites {
  private BlockingWrites() {}

  static <T> Mono<T> call(Scheduler disk, Callable<T> write) {
    return Mono.fromFuture(
        () -> {
          CompletableFuture<T> result = new CompletableFuture<>();
          try {
            disk.schedule(
                () -> {
                  try {
                    result.complete(write.call());
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
          } catch (RejectedExecutionException e) {
            result.completeExceptionally(e); // shutting down
          }
          return result;
        },
        true);
  }
}
