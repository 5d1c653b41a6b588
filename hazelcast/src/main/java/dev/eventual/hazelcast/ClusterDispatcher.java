package dev.eventual.hazelcast;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.eventual.hazelcast.RetryPolicy.Failure;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.internal.ExecutorLifecycle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where the tasks of a {@link HazelcastFutureExecutor} wait and which member runs them: a window
 * per data member (up to {@code maxInFlight} tasks, grown while tasks wait: {@link MemberWindow}),
 * a bounded local queue in front of them, routing to the member with the most room that still
 * answers, and the second attempts of the retry policy. Outcomes are judged by {@link Settler}.
 *
 * <p>An accepted task is in exactly one place: the shared queue (no key, no member), a member's
 * bound queue (its key's owner, or its one member), a timer (waiting for a retry), or a member's
 * window (sent). Everything below is guarded by the executor's lock; futures are completed and
 * tasks sent outside it.
 *
 * <pre>
 * field       written by                                  meaning
 * members     the membership listener, pump               the data members and their windows
 * queue       accept, requeue (add), pump, shutdown       unkeyed tasks waiting for any member
 * unfinished  accept (+1), countFinished (-1), removeUnsent accepted tasks without an outcome
 * outside     acceptOutside (+1), outsideFinished (-1)     of those, DURABLE tasks (never queued here)
 * inFlight    take (+1), attemptEnded/answered/release (-1) tasks in the windows, all members
 * </pre>
 *
 * Its parts: {@link ClusterMembership} (who is in the cluster), {@link QueueBound} (the queue's
 * bound), {@link TaskSender} (one attempt), {@link RetryTimer} (the pauses between attempts).
 *
 * <p>The local queue's size is {@code unfinished - inFlight - outside}: every accepted task not on
 * a member.
 */
final class ClusterDispatcher {
  /** How often a task that certainly never arrived is sent again (to another member). */
  static final int MAX_RESENDS = 16;

  final HazelcastFutureExecutor owner;
  final HazelcastInstance instance;
  private final ExecutorLifecycle lifecycle;
  private final Object lock;
  private final int maxInFlight;
  private final int startWindow;
  private final QueueBound bound;
  private final RetryTimer timer;
  private final ClusterMembership membership;
  private final TaskSender sender;

  private final MemberTable members;
  private final ArrayDeque<ClusterTaskFuture<?>> queue = new ArrayDeque<>();
  private int unfinished;
  private int inFlight;
  private int outside;

  /**
   * Creates the dispatcher of one executor.
   *
   * @param owner the executor
   * @param instance its member or client
   * @param service Hazelcast's executor service that carries the tasks
   * @param lifecycle the executor's lifecycle, whose lock guards everything here
   * @param b the builder, for the windows, the queue's bound and what a full queue does
   * @param id the executor's number, in its threads' names
   */
  ClusterDispatcher(
      HazelcastFutureExecutor owner,
      HazelcastInstance instance,
      IExecutorService service,
      ExecutorLifecycle lifecycle,
      HazelcastFutureExecutorBuilder b,
      int id) {
    this.owner = owner;
    this.instance = instance;
    this.lifecycle = lifecycle;
    this.lock = lifecycle.lock();
    this.maxInFlight = b.maxInFlight;
    this.startWindow = Math.min(MemberWindow.START, b.maxInFlight);
    this.bound = new QueueBound(lock, b.maxQueued, b.whenFull);
    this.members = new MemberTable(startWindow, b.unresponsiveAfter.toNanos());
    this.timer = new RetryTimer(owner, id);
    this.membership = new ClusterMembership(instance);
    this.sender =
        new TaskSender(
            owner, service, new Settler(this, RemoteCall.serializationService(instance)));
  }

  /** The executor's lock, which guards everything here. */
  Object lock() {
    return lock;
  }

  /** Follows the cluster's data members: windows appear and go with them. */
  void start() {
    membership.follow(this::added, this::removed);
  }

  /** Members joined: each data member gets a window, and waiting tasks may go there. */
  private void added(Iterable<Member> joined) {
    ArrayList<ClusterTaskFuture<?>> work = null;
    synchronized (lock) {
      if (members.add(joined, System.nanoTime())) {
        work = pump(null);
      }
    }
    dispatch(work);
  }

  /** A member left: the tasks bound to it are placed again (its key has a new owner). */
  private void removed(Member m) {
    List<ClusterTaskFuture<?>> orphans;
    synchronized (lock) {
      orphans = members.remove(m, System.nanoTime());
    }
    if (orphans != null) {
      for (ClusterTaskFuture<?> f : orphans) {
        requeue(f); // its key has a new owner, or its one member is gone: place decides
      }
    }
  }

  /** The data members that can take tasks now, in member order. */
  List<Member> usableMembers() {
    synchronized (lock) {
      return members.usableMembers(System.nanoTime());
    }
  }

  /** Stops following the membership and the retry timer (once no task is left). */
  void stop() {
    timer.stop();
    membership.stop();
  }

  /**
   * Accepts a new task: waits for room in the local queue (or refuses at once), then queues it for
   * its member and sends what the windows allow.
   *
   * @param target the owner of its key or its one member; null for any member
   */
  void accept(ClusterTaskFuture<?> f, Member target) {
    while (true) {
      ArrayList<ClusterTaskFuture<?>> work;
      boolean accepted;
      synchronized (lock) {
        work = awaitRoom();
        accepted = work == null;
        if (accepted) {
          unfinished++;
          work = pump(place(f, target, false, null));
        }
      }
      dispatch(work); // or, when the queue was full, end the cancelled tasks it held
      if (accepted) {
        return;
      }
    }
  }

  /**
   * Counts a task that lives outside the queues and windows (a DURABLE task, stored by the
   * cluster's durable executor), so that shutdown waits for it too.
   *
   * @throws java.util.concurrent.RejectedExecutionException if the executor was shut down
   * @throws dev.eventual.BrokenExecutorException if its instance stopped
   */
  void acceptOutside() {
    synchronized (lock) {
      lifecycle.checkAccepting();
      owner.checkInstanceRunning();
      unfinished++;
      outside++;
    }
  }

  /** A task counted by {@link #acceptOutside} has its outcome. */
  void outsideFinished() {
    synchronized (lock) {
      outside--;
    }
    finished();
  }

  /** Runs {@code r} on a completer thread after {@code nanos} (at once once the timer stopped). */
  void later(Runnable r, long nanos) {
    timer.later(r, nanos);
  }

  /**
   * Waits until the local queue has room (under the lock) and returns null; or returns the
   * cancelled tasks it removed from the full queue, to be ended outside the lock.
   */
  private ArrayList<ClusterTaskFuture<?>> awaitRoom() {
    while (true) {
      lifecycle.checkAccepting();
      owner.checkInstanceRunning();
      if (bound.hasRoom(unfinished - inFlight - outside)) {
        return null;
      }
      ArrayList<ClusterTaskFuture<?>> cancelled =
          QueueSweeps.cancelled(queue, Arrays.asList(members.inOrder()));
      if (cancelled != null) {
        return cancelled;
      }
      bound.refuseOrWait();
    }
  }

  /** Puts a task where it waits for its member (under the lock); may fail or defer it. */
  private ArrayList<ClusterTaskFuture<?>> place(
      ClusterTaskFuture<?> f, Member target, boolean front, ArrayList<ClusterTaskFuture<?>> work) {
    if (f.key == null && f.member == null) {
      if (front) {
        queue.addFirst(f);
      } else {
        queue.addLast(f);
      }
      return work;
    }
    MemberWindow w = members.usable(target, System.nanoTime());
    if (w != null) {
      if (front) {
        w.bound.addFirst(f);
      } else {
        w.bound.addLast(f);
      }
      return work;
    }
    if (f.member != null) {
      f.failWith =
          new RejectedExecutionException(
              "member "
                  + f.member.getAddress()
                  + " left the cluster (or stopped answering) before the task was sent to it: the"
                  + " task did not run");
      return add(work, f);
    }
    String why =
        "the owner of the partition of key '"
            + f.key
            + "' is "
            + (target == null ? "unknown" : "lost (" + target.getAddress() + ")");
    return noMember(f, why, work);
  }

  /** No member can take the task now: retried later under its policy, or failed. */
  private ArrayList<ClusterTaskFuture<?>> noMember(
      ClusterTaskFuture<?> f, String why, ArrayList<ClusterTaskFuture<?>> work) {
    int attempts = ++f.attempts;
    if (f.retry.retries(Failure.NO_MEMBER, f.policy, attempts)) {
      later(f, f.retry.backoffNanos(attempts));
      return work;
    }
    String tries = " (" + attempts + " attempts, " + f.retry + ")";
    f.failWith =
        f.lastLoss == null
            ? new IllegalStateException(why + "; the task was not sent" + tries)
            : new WorkerLostException(
                f.lastLoss.getMessage() + "; no member could run it again: " + why + tries,
                f.lastLoss.getCause());
    return add(work, f);
  }

  /** Appends {@code f} to the work to do outside the lock, creating the list if needed. */
  private static ArrayList<ClusterTaskFuture<?>> add(
      ArrayList<ClusterTaskFuture<?>> work, ClusterTaskFuture<?> f) {
    if (work == null) {
      work = new ArrayList<>(4);
    }
    work.add(f);
    return work;
  }

  /** Hands waiting tasks to members with room (under the lock); returns what to send. */
  private ArrayList<ClusterTaskFuture<?>> pump(ArrayList<ClusterTaskFuture<?>> work) {
    long now = System.nanoTime();
    for (MemberWindow w : members.inOrder()) {
      while (w.room() > 0 && !w.bound.isEmpty()) {
        work = take(w.bound.pollFirst(), w, now, work);
      }
    }
    while (!queue.isEmpty()) {
      MemberWindow w = members.choose(now);
      if (w == null) {
        if (!members.sawUsable()) {
          while (!queue.isEmpty()) {
            work = noMember(queue.pollFirst(), "the cluster has no data member to run it", work);
          }
        }
        break;
      }
      work = take(queue.pollFirst(), w, now, work);
    }
    return work;
  }

  /** Gives {@code f} a slot in {@code w} (under the lock): it is sent once the lock is left. */
  private ArrayList<ClusterTaskFuture<?>> take(
      ClusterTaskFuture<?> f, MemberWindow w, long now, ArrayList<ClusterTaskFuture<?>> work) {
    w.took(now);
    inFlight++;
    f.target = w;
    if (bound.hasWaiters()) {
      lock.notifyAll();
    }
    return add(work, f);
  }

  /** Sends (or fails, or drops when cancelled) each task, outside the lock, and what follows. */
  private void dispatch(ArrayList<ClusterTaskFuture<?>> work) {
    while (work != null) {
      ArrayList<ClusterTaskFuture<?>> more = null;
      for (ClusterTaskFuture<?> f : work) {
        boolean live;
        if (!f.started) {
          f.started = true;
          live = f.setRunningOrNotifyCancel(); // false: cancelled while it waited here
        } else {
          live = !f.isDone(); // cancelled between two attempts
        }
        Throwable failWith = f.failWith;
        if (failWith != null) {
          f.failWith = null;
          if (live) {
            f.trySetException(failWith);
          }
          more = finishOne(more); // it held no slot
        } else if (live) {
          sender.send(f);
        } else {
          more = release(f, more);
        }
      }
      work = more;
    }
  }

  /**
   * Frees the task's slot in its window and records what the attempt said about the member.
   *
   * @return whether the task certainly never arrived (sent after a loss of the member was seen)
   */
  boolean attemptEnded(
      ClusterTaskFuture<?> f, MemberWindow w, Throwable loss, boolean bad, long at) {
    synchronized (lock) {
      w.inFlight--;
      inFlight--;
      boolean neverArrived =
          loss instanceof TargetNotMemberException
              || loss instanceof HazelcastClientOfflineException
              || loss != null && w.knownDownBefore(f.sentAt);
      if (loss != null || bad) {
        w.markDown(at);
        w.quiet(startWindow);
      } else {
        w.lastAnswer = at;
        w.answered(!queue.isEmpty() || !w.bound.isEmpty(), startWindow, maxInFlight);
      }
      return neverArrived;
    }
  }

  /**
   * A task ran to its end on {@code w} and its future has its outcome: frees its slot, records the
   * answer, counts the outcome and sends what may go now, with the lock taken once.
   */
  void answered(MemberWindow w, long at) {
    ArrayList<ClusterTaskFuture<?>> work;
    boolean close;
    synchronized (lock) {
      w.inFlight--;
      inFlight--;
      w.lastAnswer = at;
      w.answered(!queue.isEmpty() || !w.bound.isEmpty(), startWindow, maxInFlight);
      close = countFinished();
      work = close ? null : pump(null);
    }
    if (close) {
      owner.closeInstance();
    }
    dispatch(work);
  }

  /** The task has its outcome: counts it and sends what may go now. */
  void finished() {
    dispatch(finishOne(null));
  }

  /** Tries the task again after a failed attempt, under its retry policy; false if it may not. */
  boolean retry(ClusterTaskFuture<?> f, Failure failure) {
    int attempts = ++f.attempts;
    if (!f.retry.retries(failure, f.policy, attempts)
        || !instance.getLifecycleService().isRunning()) {
      return false;
    }
    later(f, f.retry.backoffNanos(attempts));
    return true;
  }

  /** Sends again a task that certainly never arrived; false once it bounced too often. */
  boolean resend(ClusterTaskFuture<?> f) {
    if (++f.resends > MAX_RESENDS || !instance.getLifecycleService().isRunning()) {
      return false;
    }
    requeue(f);
    return true;
  }

  /** Places {@code f} again after the pause of its retry policy. */
  private void later(ClusterTaskFuture<?> f, long nanos) {
    later(() -> requeue(f), nanos);
  }

  /** Puts a task back in front of its queue: its key's owner is looked up again. */
  private void requeue(ClusterTaskFuture<?> f) {
    Member target = f.member != null ? f.member : f.key != null ? ownerOf(f.key) : null;
    ArrayList<ClusterTaskFuture<?>> work;
    synchronized (lock) {
      work = pump(place(f, target, true, null));
    }
    dispatch(work);
  }

  /** The member that owns the key's partition, or null while it is unknown. */
  Member ownerOf(Object key) {
    return membership.ownerOf(key);
  }

  /** A task cancelled before it was sent gives back its slot and is counted as ended. */
  private ArrayList<ClusterTaskFuture<?>> release(
      ClusterTaskFuture<?> f, ArrayList<ClusterTaskFuture<?>> work) {
    synchronized (lock) {
      f.target.inFlight--;
      inFlight--;
    }
    return finishOne(work);
  }

  /** One task has its outcome; returns the tasks that may go now. */
  private ArrayList<ClusterTaskFuture<?>> finishOne(ArrayList<ClusterTaskFuture<?>> work) {
    boolean close;
    synchronized (lock) {
      close = countFinished();
      if (!close) {
        work = pump(work);
      }
    }
    if (close) {
      owner.closeInstance();
    }
    return work;
  }

  /**
   * Counts one outcome (under the lock) and wakes whoever waits for it; returns whether it was the
   * last task of a shut-down executor, whose instance is then to be closed.
   */
  private boolean countFinished() {
    unfinished--;
    if (unfinished == 0 || bound.hasWaiters()) {
      lock.notifyAll();
    }
    return unfinished == 0 && lifecycle.isShutdown();
  }

  /**
   * Removes the tasks that were never sent from the queues (under the lock): shutdown's {@code
   * cancelFutures}. Wakes the submitters that wait for room, so that they see the shutdown.
   */
  List<ClusterTaskFuture<?>> removeUnsent(boolean cancel) {
    lock.notifyAll();
    if (!cancel) {
      return List.of();
    }
    List<ClusterTaskFuture<?>> removed = QueueSweeps.unsent(queue, members.all());
    unfinished -= removed.size();
    return removed;
  }

  /** Whether no task is left (under the lock). */
  boolean idle() {
    return unfinished == 0;
  }

  /** The count of accepted tasks without an outcome (a test seam: see its executor's). */
  int unfinishedTaskCount() {
    synchronized (lock) {
      return unfinished;
    }
  }
}
