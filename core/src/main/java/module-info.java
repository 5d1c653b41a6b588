/**
 * eventual-core: Python's {@code concurrent.futures} on the JVM.
 *
 * <p>Exports only {@code dev.eventual}; the machinery in {@code dev.eventual.internal} stays hidden
 * (the event loop's module alone reads it). No run-time dependencies beyond {@code java.base}.
 */
module dev.eventual {
  exports dev.eventual;
  // the event loop runs its callbacks through ContextAccess, and the Hazelcast executor shares
  // ExecutorLifecycle; nobody else sees the package
  exports dev.eventual.internal to
      dev.eventual.loop,
      dev.eventual.hazelcast;
}
