package dev.eventual.benchmarks;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.openjdk.jol.info.GraphLayout;

/**
 * Bytes retained by a pending future holding one callback, per implementation, measured with JOL:
 * the future's object graph minus the callback itself and minus shared singletons (executors), so
 * what remains is what the future spends to hold the callback.
 */
public final class Footprint {
  private Footprint() {}

  /**
   * Measures and prints JSON; with an argument, also writes it to that file.
   *
   * @param args optional output path
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Map<String, Long> bytes = measure();
    StringBuilder json = new StringBuilder("{");
    bytes.forEach(
        (k, v) ->
            json.append(json.length() > 1 ? ", " : "")
                .append('"')
                .append(k)
                .append("\": ")
                .append(v));
    json.append("}");
    System.out.println(json);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), json + "\n", StandardCharsets.UTF_8);
    }
  }

  /**
   * Measures every implementation.
   *
   * @return bytes retained, by implementation name
   */
  static Map<String, Long> measure() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("eventual", eventual());
    out.put("completableFuture", completableFuture());
    out.put("guava", guava());
    out.put("netty", netty());
    return out;
  }

  private static long retained(Object root, Object... excluded) {
    GraphLayout graph = GraphLayout.parseInstance(root);
    for (Object x : excluded) {
      graph = graph.subtract(GraphLayout.parseInstance(x));
    }
    return graph.totalSize();
  }

  static long eventual() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    Consumer<ConcurrentFuture<Integer>> callback = x -> {};
    f.addDoneCallback(callback);
    return retained(f, callback);
  }

  static long completableFuture() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    BiConsumer<Integer, Throwable> callback = (v, e) -> {};
    f.whenComplete(callback);
    return retained(f, callback);
  }

  static long guava() {
    SettableFuture<Integer> f = SettableFuture.create();
    Runnable callback = () -> {};
    Executor direct = MoreExecutors.directExecutor();
    f.addListener(callback, direct);
    return retained(f, callback, direct);
  }

  static long netty() {
    DefaultPromise<Integer> f = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    GenericFutureListener<io.netty.util.concurrent.Future<Integer>> callback = x -> {};
    f.addListener(callback);
    return retained(f, callback, ImmediateEventExecutor.INSTANCE);
  }
}
