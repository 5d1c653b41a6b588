package dev.eventual.stress;

import java.util.TreeSet;

/** The sequential specification of {@link WaitOperations}: the futures' states, atomically read. */
public class WaitModel {
  private final String[] state;

  protected WaitModel(int n) {
    state = new String[n];
    java.util.Arrays.fill(state, "PENDING");
  }

  public boolean complete(int j) {
    int i = j % state.length;
    if (!state[i].equals("PENDING") && !state[i].equals("RUNNING")) {
      return false;
    }
    state[i] = "FINISHED";
    return true;
  }

  public boolean cancel(int j) {
    int i = j % state.length;
    if (state[i].equals("PENDING")) {
      state[i] = "CANCELLED";
      return true;
    }
    return state[i].startsWith("CANCELLED");
  }

  public String notifyCancel(int j) {
    int i = j % state.length;
    if (state[i].equals("PENDING")) {
      state[i] = "RUNNING";
      return "true";
    }
    if (state[i].equals("CANCELLED")) {
      state[i] = "CANCELLED_AND_NOTIFIED";
      return "false";
    }
    return "InvalidStateException";
  }

  public String waitZero() {
    TreeSet<Integer> ids = new TreeSet<>();
    for (int i = 0; i < state.length; i++) {
      if (state[i].equals("FINISHED") || state[i].equals("CANCELLED_AND_NOTIFIED")) {
        ids.add(i);
      }
    }
    return ids.toString();
  }

  public String asCompletedZero() {
    return waitZero();
  }

  /** The model of one future. */
  public static final class One extends WaitModel {
    public One() {
      super(1);
    }
  }

  /** The model of two futures. */
  public static final class Two extends WaitModel {
    public Two() {
      super(2);
    }
  }
}
