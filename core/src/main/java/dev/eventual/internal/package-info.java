/**
 * Not API: the future's state machine pieces (callback lists, outcomes, the callback runner) that
 * {@code dev.eventual} and the event loop of {@code eventual-loop} share. The module exports this
 * package only to {@code dev.eventual.loop}; its classes may change in any release.
 *
 * <p>Start at {@link dev.eventual.ConcurrentFuture} instead; to read how a future completes, read
 * {@link dev.eventual.internal.CallbackStack} and then {@link
 * dev.eventual.internal.CallbackRunner}.
 */
package dev.eventual.internal;
