package dev.trainscope.server.runs;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.ArrayList;
import java.util.List;

/** Events that arrive before their Run exists are kept, then handed over in order. */
final class LateObserver implements java.util.function.Consumer<TrainingEvent> {
  private final List<TrainingEvent> early = new ArrayList<>();
  private Run run;

  @Override
  public synchronized void accept(TrainingEvent e) {
    if (run != null) run.observe(e);
    else early.add(e);
  }

  synchronized void observeWith(Run target) {
    early.forEach(target::observe);
    early.clear();
    run = target;
  }
}
