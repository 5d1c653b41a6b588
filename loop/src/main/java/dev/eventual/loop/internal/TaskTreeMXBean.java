package dev.eventual.loop.internal;

/**
 * What a process running eventual loops tells a tool that attaches to it ({@code
 * dev.eventual.loop.tools.Ps}): every pending task of every open loop. Registered in the platform
 * MBean server as {@link #OBJECT_NAME}; its attribute {@code Tasks} is an array of composite data
 * with the fields of {@link TaskInfo}.
 */
public interface TaskTreeMXBean {
  /** The name the bean is registered under. */
  String OBJECT_NAME = "dev.eventual.loop:type=TaskTree";

  /**
   * Every pending task of every open loop of this process, read on each loop's own thread.
   *
   * @return the tasks, loop by loop, in creation order
   */
  TaskInfo[] getTasks();
}
