package dev.eventual.loop;

import dev.eventual.loop.internal.TaskInfo;
import dev.eventual.loop.internal.TaskTreeMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The open loops of this process, and the JMX bean through which a tool outside the process ({@code
 * dev.eventual.loop.tools.Ps}, Python 3.14's {@code python -m asyncio ps PID}) reads their tasks.
 *
 * <h2>Why JMX</h2>
 *
 * <p>The JDK offers three ways into a running JVM: a dynamically loaded Java agent, a {@code jcmd}
 * diagnostic command, and JMX. A diagnostic command cannot be added by a library (the set is fixed
 * in the JVM). A dynamically loaded agent prints a warning on JDK 21+ and is to be refused by
 * default (JEP 451), and it would have to send its answer back through a file. JMX is the JDK's
 * supported channel for exactly this: the tool attaches with {@code jdk.attach}, starts the local
 * management agent ({@code VirtualMachine.startLocalManagementAgent()}, local connections only, no
 * port opened to the network), and reads one bean. The price is the platform MBean server, which
 * takes a few hundred milliseconds of CPU to build the first time in a JVM; so the bean is
 * registered on a daemon thread when the first loop is created, never in the creator's way, and
 * {@code -Ddev.eventual.loop.jmx=false} turns it off.
 *
 * <p>The bean reads each running loop on the loop's own thread (a {@code callSoonThreadsafe}
 * callback), since a task's fields and a suspended body's stack belong to that thread; a loop that
 * does not answer within {@link #ANSWER_SECONDS} seconds (a callback blocking it) is reported as
 * busy. A loop that is not running is read from the bean's thread.
 */
final class LoopRegistry implements TaskTreeMXBean {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** How long a running loop has to answer the bean. */
  static final int ANSWER_SECONDS = 2;

  private static final Map<EventLoop, Boolean> LOOPS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final AtomicBoolean BEAN_STARTED = new AtomicBoolean();

  /**
   * False with {@code -Ddev.eventual.loop.jmx=false}: then loops are not even listed (a model
   * checker such as Lincheck, which snapshots and restores static state, sees no registry at all).
   */
  private static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("dev.eventual.loop.jmx"));

  private LoopRegistry() {}

  /** A new loop (its constructor): listed, and the bean registered once per JVM. */
  static void register(EventLoop loop) {
    if (!ENABLED) {
      return;
    }
    LOOPS.put(loop, Boolean.TRUE);
    if (!BEAN_STARTED.get() && BEAN_STARTED.compareAndSet(false, true)) {
      try {
        Thread t = new Thread(LoopRegistry::registerBean, "eventual-loop-jmx");
        t.setDaemon(true);
        t.start();
      } catch (Throwable noThread) { // no OS thread: the loop works without the bean
        LOG.log(System.Logger.Level.DEBUG, "the task tree bean is not registered", noThread);
      }
    }
  }

  /** A closed loop: no longer listed. */
  static void unregister(EventLoop loop) {
    if (ENABLED) {
      LOOPS.remove(loop);
    }
  }

  private static void registerBean() {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(
              new StandardMBean(new LoopRegistry(), TaskTreeMXBean.class, true),
              new ObjectName(TaskTreeMXBean.OBJECT_NAME));
    } catch (Throwable e) { // another copy of the library registered it, or no java.management
      LOG.log(System.Logger.Level.DEBUG, "the task tree bean is not registered", e);
    }
  }

  @Override
  public TaskInfo[] getTasks() {
    List<EventLoop> loops;
    synchronized (LOOPS) {
      loops = new ArrayList<>(LOOPS.keySet());
    }
    List<TaskInfo> all = new ArrayList<>();
    for (EventLoop loop : loops) {
      if (!loop.isClosed()) {
        all.addAll(read(loop));
      }
    }
    return all.toArray(new TaskInfo[0]);
  }

  /** The tasks of {@code loop}, read on its thread if it runs. */
  private static List<TaskInfo> read(EventLoop loop) {
    if (!loop.isRunning()) {
      try {
        return snapshot(loop);
      } catch (RuntimeException raced) { // it began to run meanwhile: ask its thread
      }
    }
    CompletableFuture<List<TaskInfo>> answer = new CompletableFuture<>();
    try {
      loop.callSoonThreadsafe(
          () -> {
            try {
              answer.complete(snapshot(loop));
            } catch (Throwable e) {
              answer.completeExceptionally(e);
            }
          });
      return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of(busy(loop, "interrupted while waiting for the loop"));
    } catch (Exception e) {
      return List.of(
          busy(
              loop,
              "the loop did not answer within "
                  + ANSWER_SECONDS
                  + " s (a callback or task blocks it, or it is not running): "
                  + e));
    }
  }

  private static TaskInfo busy(EventLoop loop, String why) {
    return new TaskInfo(describe(loop), "", "", "BUSY", why, new String[0], new String[0]);
  }

  /**
   * What {@code loop}'s pending tasks are doing now. On the loop's thread, or it is not running.
   */
  static List<TaskInfo> snapshot(EventLoop loop) {
    Map<LoopFuture<?>, List<Task<?>>> awaiters = CallGraphs.awaiters(loop);
    String loopName = describe(loop);
    List<TaskInfo> tasks = new ArrayList<>();
    for (Task<?> t : loop.runtime.pending()) {
      LoopFuture<?> w = t.awaiting();
      List<Task<?>> by = awaiters.getOrDefault(t, List.of());
      String[] byIds = new String[by.size()];
      for (int i = 0; i < byIds.length; i++) {
        byIds[i] = id(by.get(i));
      }
      List<StackTraceElement> frames;
      try {
        frames = TaskStacks.newestFirst(t);
      } catch (RuntimeException unreadable) {
        frames = List.of();
      }
      String[] stack = new String[frames.size()];
      for (int i = 0; i < stack.length; i++) {
        stack[i] = CallGraphs.frame(frames.get(i));
      }
      tasks.add(
          new TaskInfo(
              loopName,
              id(t),
              t.getName(),
              t.stateName(),
              w == null ? "" : CallGraphs.label(w),
              byIds,
              stack));
    }
    return tasks;
  }

  private static String id(LoopFuture<?> f) {
    return "0x" + Integer.toHexString(System.identityHashCode(f));
  }

  private static String describe(EventLoop loop) {
    Thread owner = loop.scheduler.owner.get();
    return "EventLoop@"
        + Integer.toHexString(System.identityHashCode(loop))
        + (owner == null ? " (not running)" : " on thread '" + owner.getName() + "'");
  }
}
