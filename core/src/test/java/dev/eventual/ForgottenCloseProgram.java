package dev.eventual;

/**
 * A program that submits a slow task and ends {@code main} without waiting for it: run in a child
 * JVM by {@link ThreadPoolFutureExecutorTest} (CPython's test_shutdown.py scripts).
 *
 * <p>Argument: {@code forget} (never shuts down), {@code nowait} ({@code shutdown(false, false)}).
 */
public final class ForgottenCloseProgram {
  private ForgottenCloseProgram() {}

  /**
   * Runs the program.
   *
   * @param args the mode
   */
  public static void main(String[] args) {
    ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(3);
    executor.submit(
        () -> {
          Thread.sleep(500);
          System.out.println("apple");
          System.out.flush();
          return null;
        });
    if (args.length > 0 && args[0].equals("nowait")) {
      executor.shutdown(false, false);
    }
  }
}
