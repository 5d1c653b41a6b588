/**
 * Python's {@code asyncio} on the JVM: an event loop, loop-bound futures, and tasks written in
 * direct style that suspend at {@link dev.eventual.loop.Await#await} without blocking the loop.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link dev.eventual.loop.Asyncio}: the module functions, starting with {@link
 *       dev.eventual.loop.Asyncio#run}, which runs a main task on a fresh loop, and {@code
 *       createTask}, {@code sleep}, {@code gather}, {@code waitFor}, {@code timeout}, {@code
 *       shield}, {@code wait}, {@code asCompleted}, {@code toThread}, {@code
 *       runCoroutineThreadsafe}.
 *   <li>{@link dev.eventual.loop.Runner}: several main tasks on one loop and one context; {@link
 *       dev.eventual.loop.Timeout}: a deadline that can move; {@link
 *       dev.eventual.loop.TaskFactory}: eager tasks.
 *   <li>{@link dev.eventual.loop.Await}: {@code await(future)} inside a task.
 *   <li>{@link dev.eventual.loop.EventLoop}: {@code callSoon}, {@code callLater}, {@code
 *       runInExecutor} and the loop's life cycle; {@link dev.eventual.loop.LoopFuture} ({@code
 *       asyncio.Future}) and {@link dev.eventual.loop.Task}.
 *   <li>{@link dev.eventual.loop.TaskGroup}: structured concurrency, as in Python 3.11.
 *   <li>Synchronization and queues, as asyncio's: {@link dev.eventual.loop.Lock}, {@link
 *       dev.eventual.loop.Event}, {@link dev.eventual.loop.Condition}, {@link
 *       dev.eventual.loop.Semaphore}, {@link dev.eventual.loop.BoundedSemaphore}, {@link
 *       dev.eventual.loop.Barrier}, {@link dev.eventual.loop.Queue}, {@link
 *       dev.eventual.loop.PriorityQueue}, {@link dev.eventual.loop.LifoQueue}.
 *   <li>Streams, as asyncio's: {@link dev.eventual.loop.Asyncio#openConnection} and {@link
 *       dev.eventual.loop.Asyncio#startServer} (and their Unix-socket twins) give a {@link
 *       dev.eventual.loop.StreamReader} and a {@link dev.eventual.loop.StreamWriter}, read and
 *       drained by a task in direct style.
 *   <li>{@link dev.eventual.loop.TestEventLoop}: a loop with virtual time for tests.
 * </ul>
 *
 * <p>Everything here works on JDK 17; many tasks waiting at the same time scale on JDK 21 and
 * later, where a task is a continuation on the loop's own thread (with {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED}) or a virtual thread; {@link
 * dev.eventual.loop.EventLoop#taskRuntime()} says which, and the README's JDK table has the
 * numbers.
 *
 * <h2>Names</h2>
 *
 * <p>Python's names, spelled by the project's rule ({@code snake_case} → {@code lowerCamelCase},
 * bare predicates take {@code is}, an exception class's {@code Error} suffix becomes {@code
 * Exception}), with two rules for the names Java does not allow or that clash:
 *
 * <ol>
 *   <li><b>Object's final methods.</b> Where Python's name is one of {@code Object}'s final
 *       methods, the primitive takes {@code java.util.concurrent}'s name for the same operation:
 *       {@code wait} → {@code await}, {@code notify} → {@code signal}, {@code notify_all} → {@code
 *       signalAll} ({@code event.await()}, {@code condition.await()}, {@code
 *       condition.awaitFor(p)}, {@code condition.signal(n)}, {@code condition.signalAll()}, {@code
 *       barrier.await()}). A Java reader knows these names from {@code
 *       java.util.concurrent.locks.Condition} and {@code CountDownLatch}; a Python reader finds
 *       each one word away from the original.
 *   <li><b>Clashes with java.util and java.util.concurrent.</b> {@code Lock}, {@code Condition},
 *       {@code Semaphore}, {@code Queue}, {@code PriorityQueue} and {@code BrokenBarrierException}
 *       keep Python's names here, although {@code java.util.concurrent(.locks)} and {@code
 *       java.util} have types of the same names. A task body that uses both imports one and
 *       qualifies the other ({@code java.util.Queue<T> q}); a single-type import wins over a
 *       wildcard one, so {@code import java.util.*;} beside {@code import dev.eventual.loop.Queue;}
 *       compiles. {@link dev.eventual.loop.Process} (asyncio's {@code asyncio.subprocess.Process})
 *       follows the same rule against {@code java.lang.Process}; as {@code java.lang} is always
 *       imported on demand, a file with {@code import dev.eventual.loop.*;} that names {@code
 *       Process} imports it by name too ({@code import dev.eventual.loop.Process;}). Renaming them
 *       ({@code AsyncLock}, {@code LoopQueue}) would cost every Python reader a lookup for the sake
 *       of the rarer file that needs both.
 * </ol>
 *
 * <p>{@code async with lock:} is {@code try (var held = lock.hold()) {...}} for {@link
 * dev.eventual.loop.Lock}, {@link dev.eventual.loop.Condition} and {@link
 * dev.eventual.loop.Semaphore}: {@code acquire()} keeps Python's {@code true} result, and {@code
 * hold()} returns the {@link dev.eventual.loop.Held} to close.
 *
 * <p>The primitives and queues are asyncio's: not thread-safe, used from tasks and callbacks of one
 * loop, bound to the running loop at their first wait.
 */
package dev.eventual.loop;
