package dev.eventual.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventual.ConcurrentFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The README's recipe for SLF4J works: with {@code slf4j-jdk-platform-logging} and a binding on the
 * class path, and no other setting, eventual's {@link System.Logger} output arrives in SLF4J.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Slf4jRoutingTest {
  @Test
  void theJdkHandsSystemLoggersToSlf4j() {
    assertThat(System.LoggerFinder.getLoggerFinder().getClass().getName()).startsWith("org.slf4j.");
  }

  @Test
  void aCallbackThatThrowsIsLoggedThroughSlf4jWithItsException() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.eventual.ConcurrentFuture");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    logger.setAdditive(false); // the expected error stays out of the test's console output
    try {
      ConcurrentFuture<String> future = new ConcurrentFuture<>();
      future.addDoneCallback(
          f -> {
            throw new IllegalStateException("callback failed on purpose");
          });

      future.setResult("done");

      assertThat(captured.list)
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getLoggerName()).isEqualTo("dev.eventual.ConcurrentFuture");
                assertThat(event.getFormattedMessage())
                    .startsWith("exception calling callback for");
                assertThat(event.getThrowableProxy().getClassName())
                    .isEqualTo(IllegalStateException.class.getName());
                assertThat(event.getThrowableProxy().getMessage())
                    .isEqualTo("callback failed on purpose");
              });
    } finally {
      logger.detachAppender(captured);
      logger.setAdditive(true);
    }
  }
}
