/**
 * Not API: helpers of the event loop (the module's {@link java.lang.ref.Cleaner}, creation
 * tracebacks for debug mode). The module does not export this package; its classes may change in
 * any release.
 *
 * <p>Start at {@link dev.eventual.loop.Asyncio} instead.
 */
package dev.eventual.loop.internal;
