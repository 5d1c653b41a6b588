package dev.eventual.loop;

/**
 * Where a child's standard stream goes: the constants of Python's {@code subprocess} module that
 * asyncio's {@code subprocess_exec} takes for {@code stdin}, {@code stdout} and {@code stderr}.
 */
public enum SubprocessRedirect {
  /** A pipe to the loop: Python's {@code subprocess.PIPE}. */
  PIPE,
  /** The null device: Python's {@code subprocess.DEVNULL}. */
  DEVNULL,
  /** For {@code stderr} only: into the same pipe or file as stdout. Python's {@code STDOUT}. */
  STDOUT,
  /** The stream of this JVM: Python's {@code None}. */
  INHERIT
}
