package dev.eventual.loop.tools;

import com.sun.tools.attach.VirtualMachine;
import dev.eventual.loop.internal.TaskTreeMXBean;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Lists the tasks of every event loop of a running JVM, from outside it: Python 3.14's {@code
 * python -m asyncio ps PID} and {@code python -m asyncio pstree PID}.
 *
 * <pre>
 * java -cp eventual-loop.jar dev.eventual.loop.tools.Ps ps PID
 * java -cp eventual-loop.jar dev.eventual.loop.tools.Ps pstree PID
 * </pre>
 *
 * <p>{@code ps} prints a table per loop: each pending task's id, name, state, what it awaits, which
 * tasks await it, and the frame where it is suspended. {@code pstree} prints the same tasks as a
 * tree: each task under the task that awaits it, with the frames where it is suspended.
 *
 * <p>How: the tool attaches to the JVM with the JDK's Attach API ({@code jdk.attach}), starts the
 * JVM's local management agent (reachable from this machine only; no network port is opened) and
 * reads the {@code dev.eventual.loop:type=TaskTree} bean that the loop module registers when the
 * first loop is created. That bean reads each loop on its own thread. JMX was chosen over a
 * dynamically loaded agent (warned about since JDK 21 and to be refused by default, JEP 451) and
 * over {@code jcmd} (a library cannot add a diagnostic command). The tool must run as the same user
 * as the target, on a JDK (not a bare JRE without {@code jdk.attach}); a target started with {@code
 * -XX:+DisableAttachMechanism} or {@code -Ddev.eventual.loop.jmx=false} cannot be read.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Python reads the target's memory without its help; here the target answers through JMX, so
 *       a loop blocked by a callback is reported as busy after two seconds instead of read.
 *   <li>The frames are Java frames, every one of the body's (not only coroutines').
 * </ul>
 */
public final class Ps {
  private static final String USAGE = "usage: Ps [ps|pstree] PID";

  private Ps() {}

  /**
   * Runs the tool; exits with 0 when it printed the tasks, 1 when it could not read them, 2 on a
   * usage error.
   *
   * @param args {@code [ps|pstree] PID}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tool without exiting.
   *
   * @param args {@code [ps|pstree] PID}
   * @param out where the listing goes
   * @param err where errors go
   * @return 0 when it printed the tasks, 1 when it could not read them, 2 on a usage error
   * @throws NullPointerException if an argument is null
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String command = "ps";
    String pid;
    if (args.length == 1) {
      pid = args[0];
    } else if (args.length == 2 && (args[0].equals("ps") || args[0].equals("pstree"))) {
      command = args[0];
      pid = args[1];
    } else {
      err.println(USAGE);
      return 2;
    }
    if (!pid.matches("\\d+")) {
      err.println("PID must be a process id (digits): " + pid + "\n" + USAGE);
      return 2;
    }
    List<Map<String, Object>> tasks;
    try {
      tasks = read(pid);
    } catch (Exception e) {
      err.println("cannot read the tasks of process " + pid + ": " + e);
      return 1;
    }
    if (tasks == null) {
      err.println(
          "process "
              + pid
              + " has no eventual event loop (none was created, or it runs with"
              + " -Ddev.eventual.loop.jmx=false)");
      return 1;
    }
    Map<String, List<Map<String, Object>>> byLoop = new LinkedHashMap<>();
    for (Map<String, Object> t : tasks) {
      byLoop.computeIfAbsent((String) t.get("loop"), k -> new ArrayList<>()).add(t);
    }
    if (byLoop.isEmpty()) {
      out.println("no pending tasks");
    }
    for (Map.Entry<String, List<Map<String, Object>>> e : byLoop.entrySet()) {
      if (command.equals("ps")) {
        printTable(e.getKey(), e.getValue(), out);
      } else {
        printTree(e.getKey(), e.getValue(), out);
      }
    }
    out.flush();
    return 0;
  }

  /** The tasks of process {@code pid}, or null if it has no loop bean. */
  private static List<Map<String, Object>> read(String pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(pid);
    try {
      String address = vm.startLocalManagementAgent();
      try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        MBeanServerConnection server = connector.getMBeanServerConnection();
        ObjectName name = new ObjectName(TaskTreeMXBean.OBJECT_NAME);
        // the bean is registered on a daemon thread after the first loop: give it a moment
        for (int i = 0; i < 20 && !server.isRegistered(name); i++) {
          Thread.sleep(100);
        }
        if (!server.isRegistered(name)) {
          return null;
        }
        CompositeData[] rows = (CompositeData[]) server.getAttribute(name, "Tasks");
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (CompositeData row : rows) {
          Map<String, Object> t = new LinkedHashMap<>();
          for (String key : row.getCompositeType().keySet()) {
            t.put(key, row.get(key));
          }
          tasks.add(t);
        }
        return tasks;
      }
    } finally {
      vm.detach();
    }
  }

  private static void printTable(String loop, List<Map<String, Object>> tasks, PrintStream out) {
    out.println("Loop " + loop + ": " + tasks.size() + " pending task(s)");
    Map<String, String> names = new LinkedHashMap<>();
    for (Map<String, Object> t : tasks) {
      names.put((String) t.get("id"), (String) t.get("name"));
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TASK ID", "NAME", "STATE", "AWAITS", "AWAITED BY", "SUSPENDED AT"});
    for (Map<String, Object> t : tasks) {
      List<String> by = new ArrayList<>();
      for (String id : (String[]) t.get("awaitedBy")) {
        by.add(names.getOrDefault(id, id));
      }
      String[] stack = (String[]) t.get("stack");
      rows.add(
          new String[] {
            (String) t.get("id"),
            (String) t.get("name"),
            (String) t.get("state"),
            (String) t.get("awaits"),
            String.join(", ", by),
            stack.length == 0 ? "" : stack[0]
          });
    }
    int[] width = new int[6];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) {
          b.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
    out.println();
  }

  private static void printTree(String loop, List<Map<String, Object>> tasks, PrintStream out) {
    out.println("Loop " + loop);
    Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    for (Map<String, Object> t : tasks) {
      byId.put((String) t.get("id"), t);
    }
    Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
    List<Map<String, Object>> roots = new ArrayList<>();
    for (Map<String, Object> t : tasks) {
      boolean awaited = false;
      for (String parent : (String[]) t.get("awaitedBy")) {
        if (byId.containsKey(parent)) {
          children.computeIfAbsent(parent, k -> new ArrayList<>()).add(t);
          awaited = true;
        }
      }
      if (!awaited) {
        roots.add(t);
      }
    }
    Set<Map<String, Object>> shown = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < roots.size(); i++) {
      node(roots.get(i), "", i == roots.size() - 1, children, shown, out);
    }
    // tasks that await each other in a cycle have no root: each is shown from itself
    for (Map<String, Object> t : tasks) {
      if (!shown.contains(t)) {
        node(t, "", true, children, shown, out);
      }
    }
    out.println();
  }

  private static void node(
      Map<String, Object> t,
      String prefix,
      boolean last,
      Map<String, List<Map<String, Object>>> children,
      Set<Map<String, Object>> shown,
      PrintStream out) {
    String awaits = (String) t.get("awaits");
    out.println(
        prefix
            + (last ? "└── " : "├── ")
            + "(T) "
            + t.get("name")
            + " ["
            + t.get("id")
            + "] "
            + t.get("state")
            + (awaits.isEmpty() ? "" : " awaits " + awaits));
    String inner = prefix + (last ? "    " : "│   ");
    if (!shown.add(t)) {
      out.println(inner + "(shown above)");
      return;
    }
    List<Map<String, Object>> kids = children.getOrDefault((String) t.get("id"), List.of());
    for (String frame : (String[]) t.get("stack")) {
      out.println(inner + (kids.isEmpty() ? "  " : "│ ") + "at " + frame);
    }
    for (int i = 0; i < kids.size(); i++) {
      node(kids.get(i), inner, i == kids.size() - 1, children, shown, out);
    }
  }
}
