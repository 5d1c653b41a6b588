/**
 * eventual-loop: Python's {@code asyncio} event loop and its loop-bound futures on the JVM.
 *
 * <p>Exports only {@code dev.eventual.loop}; the machinery in {@code dev.eventual.loop.internal}
 * stays hidden. Depends on eventual-core only, and on the JDK's {@code java.management} (the bean
 * through which {@code dev.eventual.loop.tools.Ps} reads a running process's tasks); the tool's
 * {@code jdk.attach} is needed only to run the tool.
 */
module dev.eventual.loop {
  requires transitive dev.eventual;
  requires java.management;
  requires static jdk.attach;

  exports dev.eventual.loop;
  // the task tree bean's interface and data, for the JMX introspector only
  exports dev.eventual.loop.internal to
      java.management;
}
