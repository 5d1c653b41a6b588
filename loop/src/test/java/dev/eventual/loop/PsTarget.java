package dev.eventual.loop;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.internal.TaskTreeMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * The process that {@code PsTest} lists with the Ps tool: a loop whose task {@code main-task} runs
 * a task group of two workers, both suspended on one future in {@link #awaitGate}. Prints {@code
 * READY} once the tasks wait and the bean is registered; ends when its standard input closes, or
 * after 60 seconds.
 */
public final class PsTarget {
  private PsTarget() {}

  static Void awaitGate(LoopFuture<Void> gate) {
    return await(gate);
  }

  /**
   * Runs the loop.
   *
   * @param args none
   * @throws Exception if the loop fails
   */
  public static void main(String[] args) throws Exception {
    try (EventLoop loop = new EventLoop()) {
      LoopFuture<Void> gate = loop.createFuture();
      Task<Void> main =
          loop.createTask(
              () ->
                  TaskGroup.run(
                      tg -> {
                        tg.createTask(() -> awaitGate(gate), "worker-1");
                        tg.createTask(() -> awaitGate(gate), "worker-2");
                        return null;
                      }),
              "main-task",
              null);
      loop.callLater(Duration.ofSeconds(60), () -> open(gate));
      Thread ready =
          new Thread(
              () -> {
                try {
                  ObjectName name = new ObjectName(TaskTreeMXBean.OBJECT_NAME);
                  while (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                    Thread.sleep(20);
                  }
                  loop.callSoonThreadsafe(() -> System.out.println("READY"));
                  while (System.in.read() >= 0) {
                    // wait for the test to close our input
                  }
                } catch (IOException | InterruptedException | RuntimeException e) {
                  e.printStackTrace();
                } catch (javax.management.MalformedObjectNameException e) {
                  throw new IllegalStateException(e);
                }
                loop.callSoonThreadsafe(() -> open(gate));
              });
      ready.setDaemon(true);
      ready.start();
      loop.runUntilComplete(main);
    }
  }

  private static void open(LoopFuture<Void> gate) {
    if (!gate.isDone()) {
      gate.setResult(null);
    }
  }
}
