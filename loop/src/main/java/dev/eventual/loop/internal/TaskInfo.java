package dev.eventual.loop.internal;

/**
 * One pending task as {@link TaskTreeMXBean} reports it (a JMX composite: its getters are the
 * fields). Immutable.
 */
public final class TaskInfo {
  private final String loop;
  private final String id;
  private final String name;
  private final String state;
  private final String awaits;
  private final String[] awaitedBy;
  private final String[] stack;

  /**
   * A task's description.
   *
   * @param loop the loop's description
   * @param id the task's identity ({@code 0x} and hex digits)
   * @param name the task's name
   * @param state {@code PENDING} or {@code CANCELLING}
   * @param awaits what the task is suspended on ({@code Task(name=.., id=..)} or {@code
   *     Future(id=..)}), or empty
   * @param awaitedBy the ids of the tasks that await this one
   * @param stack where the body is suspended, newest frame first
   */
  public TaskInfo(
      String loop,
      String id,
      String name,
      String state,
      String awaits,
      String[] awaitedBy,
      String[] stack) {
    this.loop = loop;
    this.id = id;
    this.name = name;
    this.state = state;
    this.awaits = awaits;
    this.awaitedBy = awaitedBy.clone();
    this.stack = stack.clone();
  }

  /**
   * The loop's description.
   *
   * @return for example {@code EventLoop@1b6d3586 on thread 'main'}
   */
  public String getLoop() {
    return loop;
  }

  /**
   * The task's identity.
   *
   * @return {@code 0x} and hex digits
   */
  public String getId() {
    return id;
  }

  /**
   * The task's name.
   *
   * @return the name
   */
  public String getName() {
    return name;
  }

  /**
   * The task's state.
   *
   * @return {@code PENDING} or {@code CANCELLING}
   */
  public String getState() {
    return state;
  }

  /**
   * What the task is suspended on.
   *
   * @return a label, or empty if it is not suspended on a future
   */
  public String getAwaits() {
    return awaits;
  }

  /**
   * The tasks that await this one.
   *
   * @return their ids
   */
  public String[] getAwaitedBy() {
    return awaitedBy.clone();
  }

  /**
   * Where the body is suspended.
   *
   * @return the frames, newest first
   */
  public String[] getStack() {
    return stack.clone();
  }
}
