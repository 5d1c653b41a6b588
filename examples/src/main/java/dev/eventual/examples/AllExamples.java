package dev.eventual.examples;

/** Runs every example in turn: the README's first command calls this. */
public final class AllExamples {
  private AllExamples() {}

  /**
   * Runs all examples.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("== prime check with map (concurrent.futures docs)");
    PrimeCheck.run(System.out);
    System.out.println("== live progress with asCompleted (concurrent.futures docs)");
    LiveProgress.run(System.out);
    System.out.println("== continueWith and combine (Hazelcast client)");
    ContinueAndCombine.run(System.out);
    System.out.println("== deadlines, typed combine and Guava interop (eventual-guava)");
    DeadlinesAndGuava.run(System.out);
    System.out.println("== prime check across a two-member Hazelcast cluster (eventual-hazelcast)");
    ClusterPrimeCheck.run(System.out);
    System.out.println("== set_after: a task sets a future one second later (asyncio.Future docs)");
    SetAfter.run(System.out);
    System.out.println("== fan-out over slow I/O: gather, TaskGroup, waitFor (asyncio)");
    FanOut.run(System.out);
    System.out.println("== CPU work in a thread pool with runInExecutor, awaited (asyncio)");
    CpuInExecutor.run(System.out);
    System.out.println("== TCP echo server and client with protocols (asyncio docs)");
    EchoProtocols.run(System.out);
    System.out.println("== TCP echo server and client with streams (asyncio docs)");
    EchoStreams.run(System.out);
    System.out.println("== HTTP/1.1 GET with streams against a local HttpServer (asyncio docs)");
    HttpGet.run(System.out);
    System.out.println("== worker pool: Queue, three workers, join (asyncio Queue docs)");
    WorkerPool.run(System.out);
    System.out.println(
        "== rate limiter: at most three requests at once with a Semaphore (asyncio)");
    RateLimiter.run(System.out);
    System.out.println("== thread -> loop -> thread pipeline: putThreadsafe/getThreadsafe");
    ThreadPipeline.run(System.out);
    System.out.println("== call graph of a small program: printCallGraph (asyncio 3.14)");
    CallGraphPrintout.run(System.out);
  }
}
