package dev.trainscope.engine.event;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.AbstractList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The event types, read from {@link TrainingEvent}'s permitted records and their {@code TYPE}
 * constants.
 *
 * <p>The names are read on first use, not while {@code TrainingEvent} is initialized: reading a
 * record's {@code TYPE} initializes the record, which first initializes {@code TrainingEvent} (it
 * declares default methods), so one thread creating its first event while another initializes
 * {@code TrainingEvent} would deadlock. What needs no initialization (every permitted class is a
 * record declaring a {@code public static final String TYPE}) is checked eagerly, so a record
 * without one fails {@code TrainingEvent}'s initialization.
 */
final class EventTypes {
  private EventTypes() {}

  /** {@code TrainingEvent.TYPES}: a view of the names, which are read on its first use. */
  static List<String> names() {
    for (Class<?> c : TrainingEvent.class.getPermittedSubclasses()) typeField(c);
    return new Names();
  }

  static Map<String, Class<? extends TrainingEvent>> recordsByType() {
    return Read.BY_TYPE;
  }

  private static final class Read {
    static final Map<String, Class<? extends TrainingEvent>> BY_TYPE = read();
    static final List<String> NAMES = List.copyOf(BY_TYPE.keySet());

    private static Map<String, Class<? extends TrainingEvent>> read() {
      Map<String, Class<? extends TrainingEvent>> byType = new LinkedHashMap<>();
      for (Class<?> c : TrainingEvent.class.getPermittedSubclasses()) {
        String type;
        try {
          type = (String) typeField(c).get(null);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(c.getName() + ".TYPE is not readable", e);
        }
        if (type == null || type.isBlank()) {
          throw new IllegalStateException(c.getName() + ".TYPE non-blank required but was blank");
        }
        Class<?> twin = byType.put(type, c.asSubclass(TrainingEvent.class));
        if (twin != null) {
          throw new IllegalStateException(
              c.getName() + ".TYPE \"" + type + "\" is also " + twin.getName() + ".TYPE");
        }
      }
      return Collections.unmodifiableMap(byType);
    }
  }

  /** The record's {@code TYPE} field, or a failure saying what an event record needs. */
  static Field typeField(Class<?> c) {
    String wanted = "every event record needs a public static final String TYPE, its wire name";
    if (!c.isRecord()) throw new IllegalStateException(c.getName() + " is no record: " + wanted);
    Field f;
    try {
      f = c.getDeclaredField("TYPE");
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(c.getName() + " declares no TYPE: " + wanted, e);
    }
    int m = f.getModifiers();
    if (f.getType() != String.class
        || !Modifier.isPublic(m)
        || !Modifier.isStatic(m)
        || !Modifier.isFinal(m)) {
      throw new IllegalStateException(c.getName() + ".TYPE is not as required: " + wanted);
    }
    return f;
  }

  private static final class Names extends AbstractList<String> implements RandomAccess {
    @Override
    public String get(int index) {
      return Read.NAMES.get(index);
    }

    @Override
    public int size() {
      return Read.NAMES.size();
    }

    @Override
    public int indexOf(Object o) {
      return Read.NAMES.indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
      return Read.NAMES.contains(o);
    }
  }
}
