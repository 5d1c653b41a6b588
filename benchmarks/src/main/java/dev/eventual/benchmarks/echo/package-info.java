/**
 * The echo benchmark of the loop's I/O (issue #18): {@link dev.eventual.benchmarks.echo.EchoServer}
 * runs one server kind in its own JVM, {@link dev.eventual.benchmarks.echo.EchoLoad} is the one
 * load generator every server gets, and {@code benchmarks/run-echo.sh} runs them all, CPython's and
 * uvloop's servers ({@code benchmarks/echo_server.py}) included.
 */
package dev.eventual.benchmarks.echo;
