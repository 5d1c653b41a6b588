package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An application's task, result and exception classes ({@code com.example.tasks.ShippedSquare},
 * {@code ShippedResult}, {@code ShippedFailure}) compiled by a test into a directory of its own, so
 * that neither the test's class path nor a member's holds them: {@link CodeShippingProcessTest},
 * {@link CodeShippingMembersTest}.
 */
final class ApplicationClasses {
  static final String TASK = "com.example.tasks.ShippedSquare";
  static final String RESULT = "com.example.tasks.ShippedResult";
  static final String FAILURE = "com.example.tasks.ShippedFailure";

  private ApplicationClasses() {}

  /**
   * Compiles one version into {@code dir/<version>-classes}. The task returns {@code
   * ShippedResult[square=x*x, version=<version>, pid=<the process that ran it>]} and throws {@code
   * ShippedFailure} for a negative {@code x}.
   */
  static Path compile(Path dir, String version) throws IOException {
    Path src = dir.resolve(version + "-src/com/example/tasks");
    Files.createDirectories(src);
    Files.writeString(
        src.resolve("ShippedSquare.java"),
        "package com.example.tasks;\n"
            + "public record ShippedSquare(int x)\n"
            + "    implements dev.eventual.hazelcast.SerializableCallable<ShippedResult> {\n"
            + "  @Override public ShippedResult call() {\n"
            + "    if (x < 0) { throw new ShippedFailure(\"negative: \" + x); }\n"
            + "    return new ShippedResult(x * x, \""
            + version
            + "\", ProcessHandle.current().pid());\n"
            + "  }\n"
            + "}\n");
    Files.writeString(
        src.resolve("ShippedResult.java"),
        "package com.example.tasks;\n"
            + "public record ShippedResult(int square, String version, long pid)\n"
            + "    implements java.io.Serializable {}\n");
    Files.writeString(
        src.resolve("ShippedFailure.java"),
        "package com.example.tasks;\n"
            + "public class ShippedFailure extends RuntimeException {\n"
            + "  private static final long serialVersionUID = 1L;\n"
            + "  public ShippedFailure(String message) { super(message); }\n"
            + "}\n");
    Path classes = dir.resolve(version + "-classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
    args.addAll(List.of("-cp", System.getProperty("java.class.path")));
    for (String name : List.of("ShippedSquare", "ShippedResult", "ShippedFailure")) {
      args.add(src.resolve(name + ".java").toString());
    }
    int rc = javac.run(null, null, errors, args.toArray(String[]::new));
    assertThat(rc).as("javac: " + errors.toString(StandardCharsets.UTF_8)).isZero();
    return classes;
  }

  /** A class loader for compiled classes, above the test's own; close it after the test. */
  static URLClassLoader loader(Path classes) throws IOException {
    return new URLClassLoader(
        new URL[] {classes.toUri().toURL()}, ApplicationClasses.class.getClassLoader());
  }

  /** A new task {@code ShippedSquare(x)} of the loader's version. */
  @SuppressWarnings("unchecked")
  static SerializableCallable<Object> square(ClassLoader application, int x) throws Exception {
    return (SerializableCallable<Object>)
        application.loadClass(TASK).getDeclaredConstructor(int.class).newInstance(x);
  }

  /** The three classes of the loader's version. */
  static Class<?>[] all(ClassLoader application) throws Exception {
    return new Class<?>[] {
      application.loadClass(TASK), application.loadClass(RESULT), application.loadClass(FAILURE)
    };
  }
}
