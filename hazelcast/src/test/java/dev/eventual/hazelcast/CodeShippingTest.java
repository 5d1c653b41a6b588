package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's {@code shipClasses}/{@code shipJars} refuse what cannot be shipped, naming the
 * parameter, and leave the builder as it was; the client configuration gets each class with its
 * nested and anonymous classes. No cluster here: {@link CodeShippingProcessTest} ships to member
 * processes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CodeShippingTest {
  @TempDir Path dir;

  /** A named class outside the library (test classes live apart from eventual's jars). */
  static final class Outer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    static final class Inner implements java.io.Serializable {
      private static final long serialVersionUID = 1L;

      static final class Innermost {}
    }

    @SuppressWarnings("unused")
    private final Runnable anonymous =
        new Runnable() {
          @Override
          public void run() {}
        };
  }

  @Test
  void badClassesAreRefusedNamingTheParameterAndTheBuilderKeepsNone() {
    HazelcastFutureExecutorBuilder b = HazelcastFutureExecutor.builder();
    SerializableCallable<Integer> lambda = () -> 42;
    assertThatThrownBy(() -> b.shipClasses((Class<?>[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("classes must not be null");
    assertThatThrownBy(() -> b.shipClasses(Outer.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("classes[1] must not be null");
    assertThatThrownBy(() -> b.shipClasses(int.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("classes[0] (int) cannot be shipped");
    assertThatThrownBy(() -> b.shipClasses(Outer.class, Outer[].class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classes[1]")
        .hasMessageContaining("only classes and interfaces");
    assertThatThrownBy(() -> b.shipClasses(lambda.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classes[0]")
        .hasMessageContaining("a lambda or a proxy")
        .hasMessageContaining("class path");
    assertThatThrownBy(() -> b.shipClasses(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classes[0] (java.lang.String)")
        .hasMessageContaining("JDK, Hazelcast and eventual");
    assertThatThrownBy(() -> b.shipClasses(Outer.class, HazelcastFutureExecutor.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classes[1] (dev.eventual.hazelcast.HazelcastFutureExecutor)")
        .hasMessageContaining("members' class path");
    assertThat(b.shippedClasses).as("nothing kept from a refused call").isEmpty();
  }

  @Test
  void badJarsAreRefusedNamingTheParameterAndTheBuilderKeepsNone() throws IOException {
    HazelcastFutureExecutorBuilder b = HazelcastFutureExecutor.builder();
    Path jar = dir.resolve("ok.jar");
    new JarOutputStream(Files.newOutputStream(jar)).close(); // an empty jar is a jar
    Path text = Files.writeString(dir.resolve("not-a.jar"), "hello");
    assertThatThrownBy(() -> b.shipJars((Path[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jars must not be null");
    assertThatThrownBy(() -> b.shipJars(jar, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("jars[1] must not be null");
    assertThatThrownBy(() -> b.shipJars(jar, dir.resolve("missing.jar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jars[1] is not a readable file")
        .hasMessageContaining("missing.jar");
    assertThatThrownBy(() -> b.shipJars(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jars[0] is not a readable file");
    assertThatThrownBy(() -> b.shipJars(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jars[0] is not a jar")
        .hasMessageContaining("not-a.jar");
    assertThat(b.shippedJars).isEmpty();
    b.shipJars(jar);
    assertThat(b.shippedJars).containsExactly(jar);
  }

  @Test
  void shippingOutsideClientModeFailsAtBuildBeforeStartingAnything() {
    HazelcastFutureExecutorBuilder b = HazelcastFutureExecutor.builder().shipClasses(Outer.class);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client mode only")
        .hasMessageContaining("docs/cluster.md");
  }

  @Test
  void aShippedClassTakesItsNestedAndAnonymousClassesAlong() throws IOException {
    assertThat(CodeShipping.namesWithNested(List.of(Outer.class)))
        .containsExactlyInAnyOrder(
            Outer.class.getName(),
            Outer.class.getName() + "$1",
            Outer.Inner.class.getName(),
            Outer.Inner.Innermost.class.getName());
    Path jar = dir.resolve("tasks.jar");
    new JarOutputStream(Files.newOutputStream(jar)).close(); // read when the client starts
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder().shipClasses(Outer.Inner.class).shipJars(jar);
    ClientConfig cc = new ClientConfig();
    cc.getUserCodeDeploymentConfig().addClass("com.example.Kept");
    CodeShipping.configure(cc, b);
    assertThat(cc.getUserCodeDeploymentConfig().isEnabled()).isTrue();
    assertThat(cc.getUserCodeDeploymentConfig().getClassNames())
        .containsExactlyInAnyOrder(
            "com.example.Kept", Outer.Inner.class.getName(), Outer.Inner.Innermost.class.getName());
    assertThat(cc.getUserCodeDeploymentConfig().getJarPaths())
        .containsExactly(jar.toAbsolutePath().toString());
  }

  @Test
  void aClassTheClientsClassLoaderCannotReadIsRefusedNamingIt() throws Exception {
    HazelcastFutureExecutorBuilder b = HazelcastFutureExecutor.builder().shipClasses(Outer.class);
    ClientConfig cc = new ClientConfig();
    cc.setClassLoader(new ClassLoader(null) {}); // sees the JDK only
    assertThatThrownBy(() -> CodeShipping.configure(cc, b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shipClasses: " + Outer.class.getName())
        .hasMessageContaining("ClientConfig.setClassLoader");
  }
}
