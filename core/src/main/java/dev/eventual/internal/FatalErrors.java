package dev.eventual.internal;

/**
 * The one policy of the library for a callback that throws a {@link VirtualMachineError} (an {@link
 * OutOfMemoryError}, a {@link StackOverflowError}, an {@link InternalError}): it is never swallowed
 * or merely logged, and no other callback is lost because of it.
 *
 * <ul>
 *   <li><b>{@code ConcurrentFuture}</b>: the other callbacks of the same completion still run, each
 *       once; then the first such error is rethrown to the thread that completed the future (out of
 *       {@code setResult}, {@code cancel}, an executor's task run, or out of {@code
 *       addDoneCallback} for a future already done). The future's own outcome stays as it was set.
 *       Callbacks whose completion was deferred by the trampoline ({@link CallbackRunner}) run
 *       first, so the error surfaces from the outermost completion on that thread.
 *   <li><b>The event loop</b> (module {@code eventual-loop}, {@code catch (VirtualMachineError)} in
 *       {@code Handle.run}, {@code LoopFuture.runScheduledCallbacks} and {@code
 *       EventLoop.callExceptionHandler}): the error ends the loop's turn and propagates out of
 *       {@code runForever}/{@code runUntilComplete}; the callbacks not yet run stay scheduled for
 *       the next turn. Same rule, with the loop's turn in place of the completing call.
 * </ul>
 *
 * <p>Any other {@link Throwable} from a callback is reported (logged here, the loop's exception
 * handler there) and the remaining callbacks run: CPython's {@code _invoke_callbacks} logs and goes
 * on, and a {@code MemoryError} or {@code RecursionError} there is an ordinary exception. The JVM
 * cannot be trusted after a VirtualMachineError, so it must reach someone who can stop.
 */
public final class FatalErrors {
  private FatalErrors() {}

  /**
   * Whether a callback's throwable is fatal under this policy.
   *
   * @param t what the callback threw
   * @return true for a {@link VirtualMachineError}
   */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError;
  }
}
