package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract on {@link ThreadPoolFutureExecutor}, and what only the pool does. */
class ThreadPoolFutureExecutorTest extends FutureExecutorContract {

  @Override
  protected FutureExecutor newExecutor(int maxWorkers) {
    return new ThreadPoolFutureExecutor(maxWorkers);
  }

  private ThreadPoolFutureExecutor pool(ThreadPoolFutureExecutor.Builder builder) {
    return register(builder.build());
  }

  @Test // no CPython test: its submit leaves the work item queued when t.start() raises
  void aSubmitWhoseWorkerCannotStartIsRefusedAndItsTaskNeverRuns() {
    // The JDK pool asks for a thread once in this submit, after it queued the task; the request
    // fails as Thread.start does at the operating system's limit. Found by
    // ThreadPoolLifecycleLincheckTest (stress); before the fix the submit threw with its task left
    // queued and counted out: a later worker ran the refused task and the count went to -1.
    AtomicInteger requests = new AtomicInteger();
    ThreadPoolFutureExecutor pool =
        ThreadPoolFutureExecutor.builder()
            .maxWorkers(1)
            .threadFactory(
                p -> {
                  if (requests.incrementAndGet() == 1) {
                    throw new OutOfMemoryError("unable to create native thread");
                  }
                  return null; // no thread: the task stays queued for runQueuedTaskAsNewWorker
                })
            .build();
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> pool.submit(runs::incrementAndGet))
        .isInstanceOf(OutOfMemoryError.class)
        .hasMessage("unable to create native thread");
    assertThat(requests).hasValue(1);
    assertThat(pool.runQueuedTaskAsNewWorker()).isFalse(); // the refused task's entry is skipped
    assertThat(runs).hasValue(0);
    assertThat(pool.unfinishedTaskCount()).isZero();
    // the executor stays usable: the next task is queued (no thread starts) and a worker runs it
    ConcurrentFuture<Integer> next = pool.submit(runs::incrementAndGet);
    assertThat(pool.runQueuedTaskAsNewWorker()).isTrue();
    assertThat(next.resultNow()).isEqualTo(1);
    assertThat(pool.unfinishedTaskCount()).isZero();
    assertThat(pool.toString()).contains("queued=0");
    pool.shutdown(false, false);
  }

  /**
   * An executor whose first thread start fails after a worker step (the seam) took the queued task:
   * the JDK pool asks for the thread after it queued the task, and a worker that polls in between
   * has the task before the start fails. No thread ever starts.
   */
  private static ThreadPoolFutureExecutor workerTakesTheTaskThenTheStartFails(
      ThreadPoolFutureExecutor.Builder builder) {
    ThreadPoolFutureExecutor[] holder = new ThreadPoolFutureExecutor[1];
    AtomicInteger requests = new AtomicInteger();
    holder[0] =
        builder
            .maxWorkers(1)
            .threadFactory(
                p -> {
                  if (requests.incrementAndGet() == 1) {
                    assertThat(holder[0].runQueuedTaskAsNewWorker()).isTrue(); // takes the task
                    throw new OutOfMemoryError("unable to create native thread");
                  }
                  return null;
                })
            .build();
    return holder[0];
  }

  @Test // no CPython test; found by ThreadPoolLifecycleLincheckTest (stress) on JDK 25
  void aSubmitWhoseStartFailsAfterAWorkerTookItsTaskIsAcceptedAndTheTaskRunsOnce() {
    // The task cannot be taken back, so the submit returns its future (the error goes to the log);
    // throwing would report a task that ran as refused. CPython raises here, and runs the work item
    // later all the same.
    AtomicInteger runs = new AtomicInteger();
    ThreadPoolFutureExecutor pool =
        workerTakesTheTaskThenTheStartFails(ThreadPoolFutureExecutor.builder());
    ConcurrentFuture<Integer> f = pool.submit(runs::incrementAndGet);
    assertThat(f.resultNow()).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(pool.runQueuedTaskAsNewWorker()).isFalse();
    assertThat(pool.unfinishedTaskCount()).isZero();
    pool.shutdown(false, false);
  }

  @Test // no CPython test; the breaking variant of the race above
  void aSubmitWhoseStartFailsAfterABreakingWorkerTookItsTaskIsRefusedAsBroken() {
    // The worker that took the task runs an initializer that fails: the executor breaks and the
    // task, which never ran, fails as broken. The breakage came first, so the submit reports it.
    AtomicInteger runs = new AtomicInteger();
    ThreadPoolFutureExecutor pool =
        workerTakesTheTaskThenTheStartFails(
            ThreadPoolFutureExecutor.builder()
                .initializer(
                    () -> {
                      throw new IllegalStateException("initializer fails");
                    }));
    assertThatThrownBy(() -> pool.submit(runs::incrementAndGet))
        .isInstanceOf(BrokenExecutorException.class)
        .hasMessage(ThreadPoolFutureExecutor.BROKEN);
    assertThat(runs).hasValue(0);
    assertThat(pool.isBroken()).isTrue();
    assertThat(pool.unfinishedTaskCount()).isZero();
    assertThatThrownBy(() -> pool.submit(runs::incrementAndGet))
        .isInstanceOf(BrokenExecutorException.class);
  }

  @Test // no CPython test; found by ThreadPoolLifecycleLincheckTest (stress) on the JDK pool
  void aSubmitAfterAThreadThatCouldNotStartStartsOneAndItsTaskRuns() throws Exception {
    // The failed start leaves the refused task's entry in the JDK pool's queue, and the JDK pool
    // asks for a thread only when a task arrives in an empty queue: before the fix the next task
    // sat behind that entry with no worker, and its result never came.
    AtomicInteger requests = new AtomicInteger();
    ThreadPoolFutureExecutor pool =
        pool(
            ThreadPoolFutureExecutor.builder()
                .maxWorkers(1)
                .threadFactory(
                    p -> {
                      if (requests.incrementAndGet() > 1) {
                        return java.util.concurrent.ForkJoinPool.defaultForkJoinWorkerThreadFactory
                            .newThread(p);
                      }
                      // JDK 17's pool calls start() itself, and counts out a thread that did not
                      // start, not one the factory did not make; later pools start through a
                      // thread container (no start() to override) and count out both.
                      if (Runtime.version().feature() >= 19) {
                        throw new OutOfMemoryError("unable to create native thread");
                      }
                      return new UnstartableThread(p);
                    }));
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(OutOfMemoryError.class);
    assertThat(pool.submit(() -> 42).result(Duration.ofSeconds(PATIENCE_SECONDS))).isEqualTo(42);
    assertThat(requests).hasValue(2);
  }

  /** A worker whose start fails as Thread.start does at the operating system's thread limit. */
  private static final class UnstartableThread extends java.util.concurrent.ForkJoinWorkerThread {
    UnstartableThread(java.util.concurrent.ForkJoinPool pool) {
      super(pool);
    }

    @Override
    public synchronized void start() {
      throw new OutOfMemoryError("unable to create native thread");
    }
  }

  @Test // CPython test_thread_pool.py: test_default_workers
  void defaultMaxWorkersIsMin32AndProcessorsPlus4() {
    int expected = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    assertThat(pool(ThreadPoolFutureExecutor.builder()).maxWorkers()).isEqualTo(expected);
    ThreadPoolFutureExecutor plain = new ThreadPoolFutureExecutor();
    register(plain);
    assertThat(plain.maxWorkers()).isEqualTo(expected);
  }

  @ParameterizedTest // CPython executor.py: test_max_workers_negative
  @ValueSource(ints = {0, -1})
  void maxWorkersMustBeGreaterThanZero(int bad) {
    assertThatThrownBy(() -> new ThreadPoolFutureExecutor(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWorkers must be greater than 0");
    assertThatThrownBy(() -> ThreadPoolFutureExecutor.builder().maxWorkers(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxWorkers must be greater than 0");
  }

  @Test // no CPython test: CPython has no upper bound; the JDK pool's parallelism has one
  void maxWorkersAboveTheJdkPoolsLimitIsRefusedAndTheLimitItselfIsAccepted() throws Exception {
    int bad = ThreadPoolFutureExecutor.MAX_WORKERS + 1;
    assertThatThrownBy(() -> new ThreadPoolFutureExecutor(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkers must be at most " + ThreadPoolFutureExecutor.MAX_WORKERS)
        .hasMessageEndingWith(": " + bad);
    assertThatThrownBy(() -> ThreadPoolFutureExecutor.builder().maxWorkers(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkers must be at most");
    ThreadPoolFutureExecutor p = new ThreadPoolFutureExecutor(ThreadPoolFutureExecutor.MAX_WORKERS);
    try {
      assertThat(p.submit(() -> 7).result(java.time.Duration.ofSeconds(10))).isEqualTo(7);
    } finally {
      p.shutdown(true, false);
    }
  }

  @Test
  void builderRejectsNullsAndNonPositiveIdleTimeouts() {
    ThreadPoolFutureExecutor.Builder b = ThreadPoolFutureExecutor.builder();
    assertThatThrownBy(() -> b.threadNamePrefix(null)).hasMessageContaining("threadNamePrefix");
    assertThatThrownBy(() -> b.initializer(null)).hasMessageContaining("initializer");
    assertThatThrownBy(() -> b.idleTimeout(null)).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout must be positive");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test // CPython test_shutdown.py: test_thread_names_assigned
  void threadNamesAreThePrefixAndACounter() throws Exception {
    ThreadPoolFutureExecutor p =
        pool(ThreadPoolFutureExecutor.builder().maxWorkers(5).threadNamePrefix("SpecialPool"));
    assertThat(workerNames(p)).allMatch(n -> n.matches("SpecialPool_[0-4]"));
  }

  @Test // CPython test_shutdown.py: test_thread_names_default
  void defaultThreadNamesAreUniquePerExecutor() throws Exception {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(5));
    ThreadPoolFutureExecutor q = pool(ThreadPoolFutureExecutor.builder().maxWorkers(5));
    Set<String> pNames = workerNames(p);
    Set<String> qNames = workerNames(q);
    assertThat(pNames).allMatch(n -> n.matches("ThreadPoolFutureExecutor-\\d+_[0-4]"));
    assertThat(qNames).allMatch(n -> n.matches("ThreadPoolFutureExecutor-\\d+_[0-4]"));
    assertThat(pNames).doesNotContainAnyElementsOf(qNames);
  }

  /** Runs 10 tasks (5 at once) and returns the names of the threads that ran them. */
  private Set<String> workerNames(ThreadPoolFutureExecutor p) throws Exception {
    Set<String> names = ConcurrentHashMap.newKeySet();
    CountDownLatch five = new CountDownLatch(5);
    List<ConcurrentFuture<Void>> fs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fs.add(
          p.submit(
              () -> {
                names.add(Thread.currentThread().getName());
                five.countDown();
                awaitLatch(five);
              }));
    }
    fs.forEach(ConcurrentFuture::result);
    assertThat(names).hasSize(5);
    return names;
  }

  @Test // CPython test_thread_pool.py: test_saturation
  void neverStartsMoreThanMaxWorkersThreads() throws Exception {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(4));
    Gate gate = gate();
    for (int i = 0; i < 15 * 4; i++) {
      p.submit(gate::awaitUninterruptibly);
    }
    // CPython starts the threads in submit; the JDK pool starts one per submission into an empty
    // queue and then one per worker that takes a task with more queued behind it, so they come
    // one after the other, not all by the time the last submit returns.
    eventually("every worker started", () -> p.workerCount() == 4);
    assertThat(p.workerCount()).isEqualTo(4);
    gate.open();
    p.shutdown();
    assertThat(p.largestWorkerCount()).isEqualTo(4);
  }

  @Test // CPython test_thread_pool.py: test_idle_thread_reuse
  void reusesAnIdleWorkerBeforeStartingAnother() throws Exception {
    ThreadPoolFutureExecutor p =
        pool(ThreadPoolFutureExecutor.builder().idleTimeout(Duration.ofMinutes(1)));
    assertThat(p.maxWorkers()).isGreaterThan(1);
    for (int i = 0; i < 3; i++) {
      assertThat(p.submit(() -> 21 * 2).result()).isEqualTo(42);
      eventually("every worker waits for work again", () -> p.idleWorkerCount() == p.workerCount());
    }
    assertThat(p.largestWorkerCount()).isEqualTo(1);
  }

  @Test
  void workersAreNotDaemonsAndEndAfterTheIdleTimeout() throws Exception {
    ThreadPoolFutureExecutor p =
        pool(
            ThreadPoolFutureExecutor.builder()
                .threadNamePrefix("idle")
                .idleTimeout(Duration.ofMillis(50)));
    Thread worker = p.submit(Thread::currentThread).result();
    assertThat(worker.isDaemon()).isFalse();
    worker.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    assertThat(worker.isAlive()).isFalse();
    eventually("no worker left", () -> p.workerCount() == 0);
    assertThat(p.submit(() -> Thread.currentThread().getName()).result()).isEqualTo("idle_1");
  }

  @Test
  void theUnfinishedCountStaysExactAcrossWorkersThatRetire() throws Exception {
    // Each worker counts the calls it ended on its own (UnfinishedTaskCount); a worker that ends
    // hands its count over, and the next worker starts a count of its own.
    ThreadPoolFutureExecutor p =
        pool(ThreadPoolFutureExecutor.builder().maxWorkers(2).idleTimeout(Duration.ofMillis(50)));
    for (int round = 0; round < 2; round++) {
      List<ConcurrentFuture<Integer>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(p.submit(() -> 1));
      }
      Futures.combine(all).result();
      eventually("every call counted out", () -> p.unfinishedTaskCount() == 0);
      eventually("no worker left", () -> p.workerCount() == 0);
      assertThat(p.unfinishedTaskCount()).isZero();
    }
    Gate gate = gate();
    ConcurrentFuture<?> held = p.submit(gate::awaitUninterruptibly);
    assertThat(p.unfinishedTaskCount()).isEqualTo(1);
    gate.open();
    held.result();
    eventually("the held call counted out", () -> p.unfinishedTaskCount() == 0);
  }

  @Test
  void noTaskIsStrandedWhileWorkersKeepTimingOut() {
    ThreadPoolFutureExecutor p =
        pool(ThreadPoolFutureExecutor.builder().maxWorkers(2).idleTimeout(Duration.ofNanos(1)));
    List<ConcurrentFuture<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      int n = i;
      fs.add(p.submit(() -> n));
      if (i % 7 == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(
            java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000));
      }
    }
    for (int i = 0; i < fs.size(); i++) {
      assertThat(fs.get(i).result(Duration.ofSeconds(PATIENCE_SECONDS))).isEqualTo(i);
    }
  }

  @Test // CPython thread.py: one SimpleQueue of work items, taken oldest first
  void queuedTasksStartInSubmissionOrderAndNoneInheritsTheInterruptOfTheOneBefore() {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(1));
    Gate gate = gate();
    p.submit(gate::awaitUninterruptibly); // the one worker is busy: everything below is queued
    List<Integer> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<ConcurrentFuture<Boolean>> interruptedAtStart = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      interruptedAtStart.add(
          p.submit(
              () -> {
                boolean was = Thread.currentThread().isInterrupted();
                started.add(n);
                Thread.currentThread().interrupt(); // left set for whatever runs next
                return was;
              }));
    }
    gate.open();
    for (ConcurrentFuture<Boolean> f : interruptedAtStart) {
      assertThat(f.result(Duration.ofSeconds(PATIENCE_SECONDS))).isFalse();
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add(i);
    }
    assertThat(started).isEqualTo(expected);
  }

  @Test // CPython test_shutdown.py: ThreadPoolShutdownTest.test_threads_terminate
  void shutdownWaitsUntilTheWorkerThreadsHaveEnded() throws Exception {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(5));
    Gate gate = gate();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 3; i++) {
      p.submit(
          () -> {
            threads.add(Thread.currentThread());
            gate.awaitUninterruptibly();
          });
    }
    eventually("a worker for each blocked task", () -> p.workerCount() == 3);
    gate.open();
    p.shutdown();
    assertThat(p.workerCount()).isZero();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
      assertThat(t.isAlive()).isFalse();
    }
  }

  @Test // CPython executor.py: test_shutdown_race_issue12456
  void shutdownRightAfterMappingMoreItemsThanWorkersDoesNotHang() {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(2));
    p.map(String::valueOf, List.of(2, 2, 2));
    p.shutdown();
    assertThat(p.workerCount()).isZero();
  }

  @Test // CPython: t.join() of the current thread raises "cannot join current thread"
  void shutdownWithWaitFromOneOfItsOwnTasksThrowsInsteadOfWaitingForItself() {
    ThreadPoolFutureExecutor p = pool(ThreadPoolFutureExecutor.builder().maxWorkers(1));
    ConcurrentFuture<Void> f = p.submit(() -> p.shutdown());
    assertThatThrownBy(f::result)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wait for itself");
    assertThat(p.isShutdown()).isTrue();
    assertThatThrownBy(() -> p.submit(() -> 1))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
  }

  @Test // CPython test_init.py: InitializerMixin.test_initializer
  void initializerRunsOnceInEachWorkerThreadBeforeItsFirstTask() {
    ThreadLocal<String> status = ThreadLocal.withInitial(() -> "uninitialized");
    List<Thread> initialized = new java.util.concurrent.CopyOnWriteArrayList<>();
    ThreadPoolFutureExecutor p =
        pool(
            ThreadPoolFutureExecutor.builder()
                .maxWorkers(2)
                .idleTimeout(Duration.ofMinutes(1))
                .initializer(
                    () -> {
                      status.set("initialized");
                      initialized.add(Thread.currentThread());
                    }));
    CountDownLatch both = new CountDownLatch(2);
    List<ConcurrentFuture<String>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fs.add(
          p.submit(
              () -> {
                both.countDown();
                awaitLatch(both);
                return status.get();
              }));
    }
    for (ConcurrentFuture<String> f : fs) {
      assertThat(f.result()).isEqualTo("initialized");
    }
    assertThat(initialized).hasSize(2).doesNotHaveDuplicates();
  }

  @Test // CPython test_init.py: FailingInitializerMixin.test_initializer
  void failingInitializerBreaksTheExecutorAndFailsEveryQueuedFuture() throws Exception {
    IllegalStateException initError = new IllegalStateException("error in initializer");
    CountDownLatch letFail = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    ThreadPoolFutureExecutor p =
        pool(
            ThreadPoolFutureExecutor.builder()
                .maxWorkers(2)
                .initializer(
                    () -> {
                      awaitLatch(letFail); // let some futures be scheduled
                      throw initError;
                    }));
    List<ConcurrentFuture<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      fs.add(p.submit(ran::incrementAndGet));
    }
    letFail.countDown();
    for (ConcurrentFuture<Integer> f : fs) {
      assertThatThrownBy(f::result)
          .isInstanceOf(BrokenExecutorException.class)
          .hasMessage("A thread initializer failed, the thread pool is not usable anymore")
          .hasCause(initError);
    }
    eventually("the executor is broken", p::isBroken);
    // ... and from this point submit() is guaranteed to fail
    assertThatThrownBy(() -> p.submit(() -> 1))
        .isInstanceOf(BrokenExecutorException.class)
        .hasCause(initError);
    assertThat(ran).hasValue(0);
    assertThat(p.isShutdown()).isFalse();
    assertThat(p.toString()).endsWith(", broken]");
    p.shutdown();
  }

  @Test // issue 19, defect 1; CPython test_init.py: FailingInitializerMixin, with racing submits
  void aBreakingInitializerRacingSubmitsLeavesNoAcceptedFuturePendingAndRefusesAsBroken()
      throws Exception {
    int rounds = 300;
    for (int round = 0; round < rounds; round++) {
      ThreadPoolFutureExecutor p =
          ThreadPoolFutureExecutor.builder()
              .maxWorkers(1)
              .initializer(
                  () -> {
                    long until = System.nanoTime() + 200_000L; // a few hundred microseconds
                    while (System.nanoTime() < until) {
                      Thread.onSpinWait();
                    }
                    throw new IllegalStateException("initializer fails");
                  })
              .build();
      List<ConcurrentFuture<Integer>> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Throwable> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread s =
            new Thread(
                () -> {
                  awaitLatch(go);
                  for (; ; ) {
                    try {
                      accepted.add(p.submit(() -> 1));
                    } catch (RuntimeException refused) {
                      refusals.add(refused);
                      return;
                    }
                  }
                });
        s.start();
        submitters.add(s);
      }
      go.countDown();
      for (Thread s : submitters) {
        s.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertThat(s.isAlive()).as("submitter ended").isFalse();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
      for (ConcurrentFuture<Integer> f : accepted) {
        while (!f.isDone() && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertThat(f.isDone()).as("round %d: accepted %s in %s", round, f, p).isTrue();
        assertThatThrownBy(f::result).isInstanceOf(BrokenExecutorException.class);
      }
      assertThat(refusals)
          .as("round %d: every refusal of a broken pool says so", round)
          .hasSize(3)
          .allSatisfy(e -> assertThat(e).isInstanceOf(BrokenExecutorException.class));
      p.shutdown();
    }
  }

  @Test
  void toStringShowsThePrefixAndTheWorkers() {
    ThreadPoolFutureExecutor p =
        pool(ThreadPoolFutureExecutor.builder().maxWorkers(3).threadNamePrefix("fetch"));
    assertThat(p.toString())
        .isEqualTo("ThreadPoolFutureExecutor[fetch, maxWorkers=3, workers=0, queued=0]");
    p.shutdown();
    assertThat(p.toString()).endsWith(", shut down]");
  }

  @ParameterizedTest // CPython test_shutdown.py: test_interpreter_shutdown, test_hang_gh83386
  @ValueSource(strings = {"forget", "nowait"})
  void aProgramThatNeverWaitsStillRunsItsTaskAndExits(String mode) throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ForgottenCloseProgram.class.getName(),
                mode)
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(child.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS))
          .as("the child JVM exits")
          .isTrue();
      assertThat(read(child.getInputStream()).strip()).isEqualTo("apple");
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
