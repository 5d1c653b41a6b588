package dev.eventual.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import java.nio.file.Path;

/**
 * A client in its own process, for {@link DurableProcessTest}: {@code DurableClientMain cluster
 * address startedFile waitMillis}. Submits one DURABLE {@link Tasks.Blocking} task, prints {@code
 * ID <taskId>}, and waits until its standard input closes or it is killed.
 */
public final class DurableClientMain {
  private DurableClientMain() {}

  /**
   * Submits the task.
   *
   * @param args the cluster name, a member address, the task's started file, its wait in ms
   * @throws Exception if reading standard input fails
   */
  public static void main(String[] args) throws Exception {
    ClientConfig cc = new ClientConfig().setClusterName(args[0]);
    cc.getNetworkConfig().addAddress(args[1]);
    HazelcastFutureExecutor executor =
        HazelcastFutureExecutor.builder()
            .client(cc)
            .allowPackages("dev.eventual.hazelcast")
            .loggingType(System.getProperty("hazelcast.logging.type", "none"))
            .build();
    DurableFuture<String> f =
        executor.submitDurable(
            new Tasks.Blocking("durable-process", Path.of(args[2]), Long.parseLong(args[3])));
    System.out.println("ID " + f.taskId());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to close our input, or to kill us
    }
    System.exit(0);
  }
}
