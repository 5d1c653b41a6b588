package dev.eventual.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the threads that carry tasks: virtual threads where the JDK has them (21+), found
 * reflectively since the library compiles for Java 17; platform daemon threads otherwise.
 */
final class Carriers {
  private static final ThreadFactory VIRTUAL = virtualThreadFactory();
  private static final AtomicLong PLATFORM_COUNT = new AtomicLong();

  private Carriers() {}

  /** Whether tasks run on virtual threads on this JDK. */
  static boolean virtual() {
    return VIRTUAL != null;
  }

  /** An unstarted thread that will run {@code body}. */
  static Thread newThread(Runnable body) {
    if (VIRTUAL != null) {
      return VIRTUAL.newThread(body);
    }
    Thread t = new Thread(body, "eventual-task-" + PLATFORM_COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  private static ThreadFactory virtualThreadFactory() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object b =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
      b =
          lookup
              .findVirtual(
                  builder, "name", MethodType.methodType(builder, String.class, long.class))
              .invoke(b, "eventual-task-", 1L);
      return (ThreadFactory)
          lookup
              .findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
              .invoke(b);
    } catch (Throwable unavailable) { // JDK 17-20 (or 19/20 without preview features)
      return null;
    }
  }
}
