/**
 * Command-line tools of the loop module: {@link dev.eventual.loop.tools.Ps}, which lists the tasks
 * of a running JVM's event loops from outside it. Not exported: run the tools with {@code java -cp}
 * or {@code java -m dev.eventual.loop/dev.eventual.loop.tools.Ps}.
 */
package dev.eventual.loop.tools;
