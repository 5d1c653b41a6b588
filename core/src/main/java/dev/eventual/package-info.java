/**
 * Python's {@code concurrent.futures} on the JVM: a thread-safe future, the functions that wait for
 * many futures, and executors that hand them out.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link dev.eventual.ThreadPoolFutureExecutor}: Python's {@code ThreadPoolExecutor}; use it
 *       in try-with-resources as Python uses {@code with}. {@link dev.eventual.FutureExecutor#wrap}
 *       turns any {@link java.util.concurrent.ExecutorService} into a {@link
 *       dev.eventual.FutureExecutor}.
 *   <li>{@link dev.eventual.ConcurrentFuture}: the future those executors return ({@code
 *       concurrent.futures.Future}), with done callbacks, the Hazelcast client's {@code
 *       continueWith}, and bridges both ways to {@link java.util.concurrent.CompletableFuture}.
 *   <li>{@link dev.eventual.Futures}: the module functions {@code wait}, {@code asCompleted} and
 *       {@code combine}.
 *   <li>{@link dev.eventual.Context} and {@link dev.eventual.ContextVar}: Python's {@code
 *       contextvars}, carried into callbacks and tasks.
 * </ul>
 *
 * <p>Names follow one rule: Python's {@code snake_case} becomes {@code lowerCamelCase} word for
 * word, and bare predicates take {@code is} ({@code done()} is {@code isDone()}). Each class lists
 * its differences from Python in its own documentation.
 */
package dev.eventual;
