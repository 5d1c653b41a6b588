package dev.eventual.hazelcast;

import com.hazelcast.core.IExecutorService;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.hazelcast.internal.RemoteOutcome;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Sends one attempt of a task to the member of its window through Hazelcast's executor, and hands
 * the attempt's outcome, on a completer thread, to the {@link Settler}; a send that fails at once
 * is settled the same way. Called outside the executor's lock.
 */
final class TaskSender {
  private final HazelcastFutureExecutor owner;
  private final IExecutorService service;
  private final Settler settler;

  /**
   * Creates the sender of one executor.
   *
   * @param owner the executor, whose completer threads settle the outcomes
   * @param service Hazelcast's executor service that carries the tasks
   * @param settler where the outcomes go
   */
  TaskSender(HazelcastFutureExecutor owner, IExecutorService service, Settler settler) {
    this.owner = owner;
    this.service = service;
    this.settler = settler;
  }

  /**
   * Sends the task to the member of its window ({@code f.target}), dated for the loss rule.
   *
   * @param f the task, RUNNING, with a slot in its window
   */
  void send(ClusterTaskFuture<?> f) {
    MemberWindow w = f.target;
    f.sentAt = System.nanoTime();
    Future<RemoteOutcome> remote;
    try {
      remote = service.submitToMember(new RemoteCall(f.task, f.runnable), w.member);
    } catch (RuntimeException e) {
      long at = System.nanoTime();
      owner.runOnCompleter(() -> settler.settle(f, w, null, e, at));
      return;
    }
    if (!(remote instanceof CompletionStage)) {
      // Nothing would ever tell this future's end: fail it (as any dispatch failure) rather than
      // leave it RUNNING, and cancel what Hazelcast started.
      IllegalStateException odd =
          new IllegalStateException(
              "unexpected Hazelcast future (no completion callbacks): " + remote.getClass());
      owner.cancelRemote(remote);
      owner.runOnCompleter(() -> settler.settle(f, w, null, odd, System.nanoTime()));
      return;
    }
    f.attach(remote);
    @SuppressWarnings("unchecked")
    CompletionStage<RemoteOutcome> stage = (CompletionStage<RemoteOutcome>) remote;
    Arrival arrival = new Arrival(f, w);
    stage.whenCompleteAsync(arrival, arrival);
  }

  /**
   * Where an attempt's outcome goes: straight to a completer thread. Hazelcast's own {@code
   * whenComplete} would first hand it to its default async executor, which with one core for the
   * common pool (a 2-core machine) starts a new thread per outcome.
   */
  private final class Arrival implements Executor, BiConsumer<RemoteOutcome, Throwable> {
    private final ClusterTaskFuture<?> f;
    private final MemberWindow w;
    private long at;

    /** The outcome of the attempt of {@code f} on the member of {@code w}. */
    Arrival(ClusterTaskFuture<?> f, MemberWindow w) {
      this.f = f;
      this.w = w;
    }

    /** Called by Hazelcast once the attempt ended: runs the settling on a completer thread. */
    @Override
    public void execute(Runnable settle) {
      at = System.nanoTime(); // when Hazelcast knew: a loss is dated from here
      owner.runOnCompleter(settle);
    }

    /** Settles the attempt (on the completer thread that {@link #execute} chose). */
    @Override
    public void accept(RemoteOutcome outcome, Throwable error) {
      settler.settle(f, w, outcome, error, at);
    }
  }
}
