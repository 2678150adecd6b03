package dev.trainscope.server.kafka;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.EventReader;
import dev.trainscope.server.log.LogLine;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A run's events in a single-partition Kafka topic, where an event's offset is its seq: the owner's
 * idempotent producer (no transactions, whose markers take offsets) appends them in order, and an
 * acknowledged offset that is not the seq breaks the log rather than leave a gap.
 *
 * <p>An instance holds the lines of the runs it serves in memory, so its readers cost a cursor and
 * never a consumer: the owner keeps what it wrote once Kafka acknowledged it, other instances what
 * their one {@link KafkaTail} reads ({@link #received}).
 */
public final class KafkaEventLog implements EventLog {
  /** The header naming an event's type, so a reader need not parse the JSON to filter it. */
  static final String TYPE_HEADER = "type";

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final String runId;
  private final String topic;
  private final Producer<byte[], byte[]> producer; // null on instances that only read
  private final EventCodec codec;
  private final Sinks.Many<Long> sizes = Sinks.many().replay().latest();
  private long published = -1; // guarded by sizes

  private final List<LogLine> lines = new ArrayList<>(); // guarded by this
  private volatile long stored;
  private final List<Sent> inFlight = new ArrayList<>(); // guarded by this
  private volatile boolean finished;
  private volatile String finalState;
  private boolean broken;
  private boolean closed;
  private volatile long lostAt = -1;
  private int lastEpoch; // guarded by this: for the interrupted status a close may write

  private record Sent(LogLine line, String terminal, Future<RecordMetadata> ack) {}

  private volatile RunMeta meta;
  private final String owner;
  private volatile Consumer<TrainingEvent> onEvent = e -> {};
  private volatile Consumer<KafkaEventLog> onClosed = l -> {};

  /**
   * {@code producer} null: the log of a run that {@code owner}, another instance, writes; this one
   * reads it from the topic.
   */
  KafkaEventLog(
      RunMeta meta,
      String topic,
      Producer<byte[], byte[]> producer,
      EventCodec codec,
      String owner) {
    this.meta = meta;
    this.runId = meta.id();
    this.owner = producer == null ? owner : null;
    this.topic = topic;
    this.producer = producer;
    this.codec = codec;
  }

  /** Where the events a follower reads go, decoded once for this instance. */
  void onEvent(Consumer<TrainingEvent> consumer) {
    onEvent = consumer;
  }

  /** Told once the writer closed the log, with its final state (the store records it). */
  void onClosed(Consumer<KafkaEventLog> consumer) {
    onClosed = consumer;
  }

  @Override
  public RunMeta meta() {
    return meta;
  }

  void setMeta(RunMeta newer) {
    meta = newer;
  }

  @Override
  public String writtenElsewhere() {
    return finished ? null : owner;
  }

  private volatile String writerId;

  /** The writing instance's lease id (see {@link Leases}), on instances that read the run. */
  void writtenBy(String id) {
    writerId = id;
  }

  String writerId() {
    return writerId;
  }

  synchronized int lastEpoch() {
    return lastEpoch;
  }

  /** True on instances that only read this run. */
  boolean isReader() {
    return producer == null;
  }

  String topic() {
    return topic;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public long size() {
    return stored;
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public String finalState() {
    return finalState;
  }

  @Override
  public LogLine append(TrainingEvent event) throws IOException {
    LogLine line = write(event);
    publish();
    return line;
  }

  @Override
  public synchronized LogLine write(TrainingEvent event) throws IOException {
    if (producer == null) throw new IOException("run " + runId + " is written by another instance");
    if (broken) throw new IOException("run " + runId + "'s topic " + topic + " is broken");
    if (finished) throw new IOException("run log " + runId + " is closed");
    long expected = lines.size() + inFlight.size();
    if (event.seq() != expected) {
      throw new IllegalArgumentException(
          "event seq " + event.seq() + " out of order: the log holds " + expected + " events");
    }
    byte[] json = codec.encodeBytes(event);
    LogLine line = new LogLine(runId, event.seq(), event.type(), json);
    line.sseFrame();
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, null, json);
    record.headers().add(TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
    Future<RecordMetadata> ack;
    try {
      ack = producer.send(record);
    } catch (RuntimeException e) {
      broken = true;
      throw new StorageException(runId, "topic " + topic, new IOException(e));
    }
    inFlight.add(new Sent(line, RunStates.finalStateOf(event), ack));
    if (event instanceof TrainingEvent.Epoch e) lastEpoch = e.epoch();
    return line;
  }

  @Override
  public List<LogLine> writeThrough(List<TrainingEvent> events) throws IOException {
    List<LogLine> out = new ArrayList<>(events.size());
    for (TrainingEvent e : events) out.add(write(e));
    publish();
    return out;
  }

  /** Waits for Kafka's acknowledgements of what was written, then tells readers. */
  @Override
  public void publish() throws IOException {
    flush();
    signal(stored, false);
  }

  /**
   * Waits for the acknowledgements in order: each offset must be its event's seq. A send that
   * failed or landed elsewhere breaks the log (its later events are not stored either), so the run
   * fails instead of going on with a gap. Only the one writer thread calls this, and it waits
   * outside the lock, which readers on event loops take.
   */
  @Override
  public void flush() throws IOException {
    List<Sent> sent;
    synchronized (this) {
      sent = List.copyOf(inFlight);
    }
    try {
      for (Sent s : sent) {
        acknowledged(s);
        synchronized (this) {
          lines.add(s.line());
          if (s.terminal() != null) {
            finalState = s.terminal();
            finished = true;
          }
          stored = lines.size();
        }
      }
    } finally {
      synchronized (this) {
        inFlight.subList(0, sent.size()).clear();
        if (broken) inFlight.clear();
      }
    }
  }

  private RecordMetadata acknowledged(Sent s) throws IOException {
    RecordMetadata md;
    try {
      md = s.ack().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw broken(new StorageException(runId, "topic " + topic, new IOException(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw broken(new IOException("interrupted waiting for Kafka to store run " + runId, e));
    }
    if (md.offset() != s.line().seq()) {
      throw broken(
          new IOException(
              "run "
                  + runId
                  + ": event "
                  + s.line().seq()
                  + " was stored at offset "
                  + md.offset()
                  + " of "
                  + topic
                  + " (another writer?)"));
    }
    return md;
  }

  private synchronized IOException broken(IOException e) {
    broken = true;
    return e;
  }

  /**
   * A record the instance's tail read from the topic (on instances that do not write the run):
   * offsets arrive in order, each once.
   */
  void received(long offset, String type, byte[] json) {
    TrainingEvent event = codec.decode(new String(json, StandardCharsets.UTF_8));
    synchronized (this) {
      if (offset != lines.size()) return; // read again after a reassignment: already held
      lines.add(new LogLine(runId, offset, type != null ? type : event.type(), json));
      String terminal = RunStates.finalStateOf(event);
      if (terminal != null) {
        finalState = terminal;
        finished = true;
      }
      stored = lines.size();
    }
    if (event instanceof TrainingEvent.Epoch e) {
      synchronized (this) {
        lastEpoch = e.epoch();
      }
    }
    onEvent.accept(event);
    signal(stored, finished);
  }

  /**
   * The topic no longer holds event {@code offset} (deleted by retention): the log ends where it
   * is, and {@link #lostAt()} says from where history is missing.
   */
  void lost(Long offset) {
    synchronized (this) {
      lostAt = offset == null ? stored : offset;
      if (finalState == null) finalState = RunStates.INTERRUPTED;
      finished = true;
    }
    signal(stored, true);
  }

  /** The first offset the topic had lost when this instance read it, or -1. */
  long lostAt() {
    return lostAt;
  }

  @Override
  public Flux<Long> sizes() {
    return sizes.asFlux();
  }

  @Override
  public EventReader reader() {
    return new Reader();
  }

  @Override
  public void close(String unfinishedState) throws IOException {
    IOException failure = null;
    if (producer != null) {
      try {
        flush();
        // Other instances learn from the topic alone that the run ended, as a restarted file
        // server writes it into a log it found unfinished.
        if (!finished && !broken) {
          write(
              new TrainingEvent.Status(
                  runId, stored, clock(), TrainingEvent.Status.INTERRUPTED, lastEpoch));
          flush();
        }
      } catch (IOException e) {
        failure = e;
      }
    }
    boolean wasOpen;
    synchronized (this) {
      if (finalState == null) finalState = unfinishedState;
      wasOpen = !closed;
      closed = true;
      finished = true;
    }
    signal(stored, true);
    if (wasOpen && producer != null) onClosed.accept(this);
    if (failure != null) throw failure;
  }

  private static long clock() {
    return System.currentTimeMillis();
  }

  private void signal(long size, boolean last) {
    synchronized (sizes) {
      if (size > published) {
        published = size;
        sizes.emitNext(size, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
      }
      if (last) sizes.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }
  }

  private synchronized LogLine line(long seq) {
    return seq < lines.size() ? lines.get((int) seq) : null;
  }

  /** Every line is in memory: a reader is a cursor over them. */
  private final class Reader implements EventReader {
    @Override
    public List<LogLine> recent(long from, long to, Set<String> types) {
      if (to <= from) return List.of();
      if (to > stored) return null;
      List<LogLine> out = new ArrayList<>((int) (to - from));
      synchronized (KafkaEventLog.this) {
        for (long seq = from; seq < to; seq++) {
          LogLine l = lines.get((int) seq);
          if (types == null || types.contains(l.type())) out.add(l);
        }
      }
      return out;
    }

    @Override
    public LogLine recentLine(long seq) {
      return seq < stored ? line(seq) : null;
    }

    @Override
    public String type(long seq) {
      LogLine l = line(seq);
      return l == null ? null : l.type();
    }

    @Override
    public LogLine read(long seq) throws IOException {
      LogLine l = line(seq);
      if (l == null) throw new IOException("run " + runId + " has no event " + seq + " yet");
      return l;
    }
  }
}
