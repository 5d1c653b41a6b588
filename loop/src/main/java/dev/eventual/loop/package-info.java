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
 *       shield}, {@code wait}, {@code asCompleted}.
 *   <li>{@link dev.eventual.loop.Await}: {@code await(future)} inside a task.
 *   <li>{@link dev.eventual.loop.EventLoop}: {@code callSoon}, {@code callLater}, {@code
 *       runInExecutor} and the loop's life cycle; {@link dev.eventual.loop.LoopFuture} ({@code
 *       asyncio.Future}) and {@link dev.eventual.loop.Task}.
 *   <li>{@link dev.eventual.loop.TaskGroup}: structured concurrency, as in Python 3.11.
 *   <li>{@link dev.eventual.loop.TestEventLoop}: a loop with virtual time for tests.
 * </ul>
 *
 * <p>Everything here works on JDK 17; many tasks waiting at the same time scale on JDK 21 and
 * later, where a task is a continuation on the loop's own thread (with {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED}) or a virtual thread; {@link
 * dev.eventual.loop.EventLoop#taskRuntime()} says which, and the README's JDK table has the
 * numbers.
 */
package dev.eventual.loop;
