package dev.eventual.loop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the process's open descriptors of one kind in {@code /proc/self/fd} (Linux only), for the
 * tests that check no socket or pipe is left open. They count one kind, not all: class loading
 * opens jar files along the way, which are not the loop's. A test compares the count after its work
 * with the count before it as "at most as many": the count is the whole JVM's, and a socket another
 * test class left to the garbage collector or to a thread of its own may close in between (seen
 * once: 17 before, 12 after, in SslConnectionsTest), while a leak only ever adds.
 */
final class OpenDescriptors {
  private OpenDescriptors() {}

  /** Whether {@code /proc/self/fd} can be read here (the tests assume it). */
  static boolean available() {
    return new File("/proc/self/fd").isDirectory();
  }

  /**
   * The open descriptors whose link starts with {@code kind}.
   *
   * @param kind {@code "socket:"} or {@code "pipe:"}
   * @return how many are open now
   */
  static int count(String kind) {
    String[] fds = new File("/proc/self/fd").list();
    int n = 0;
    for (String fd : fds == null ? new String[0] : fds) {
      try {
        if (Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString().startsWith(kind)) {
          n++;
        }
      } catch (IOException gone) {
        // closed while listed (the listing's own descriptor, say)
      }
    }
    return n;
  }
}
