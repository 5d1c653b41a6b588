package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskGroup;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Python 3.14's call graph of a small program: a task group runs a {@code download} task and a
 * {@code parse} task that awaits it; while both wait, {@link Asyncio#printCallGraph} prints who
 * awaits whom and where each is suspended, as {@code asyncio.print_call_graph(task)} does. The same
 * view from outside the process: {@code dev.eventual.loop.tools.Ps pstree PID}.
 */
public final class CallGraphPrintout {
  private CallGraphPrintout() {}

  static String download(String page) {
    Asyncio.sleep(Duration.ofMillis(100)); // the network
    return "<html>" + page + "</html>";
  }

  static int parse(Task<String> download) {
    String html = await(download);
    return html.length();
  }

  /**
   * Prints the call graph of the download while it waits.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    Asyncio.run(
        () ->
            TaskGroup.run(
                group -> {
                  Task<String> download = group.createTask(() -> download("index"), "download");
                  Task<Integer> parse = group.createTask(() -> parse(download), "parse");
                  Asyncio.sleep(Duration.ofMillis(10)); // both are suspended now
                  Asyncio.printCallGraph(download, out);
                  out.println("parsed " + await(parse) + " characters");
                  return null;
                }));
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }
}
