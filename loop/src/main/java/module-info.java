/**
 * eventual-loop: Python's {@code asyncio} event loop and its loop-bound futures on the JVM.
 *
 * <p>Exports only {@code dev.eventual.loop}; the machinery in {@code dev.eventual.loop.internal}
 * stays hidden. Depends on eventual-core only.
 */
module dev.eventual.loop {
  requires transitive dev.eventual;

  exports dev.eventual.loop;
}
