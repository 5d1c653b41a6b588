package dev.eventual;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Collects what the library logs to {@code dev.eventual.ConcurrentFuture}. System.Logger routes to
 * java.util.logging here, so a JUL handler sees every record, from any thread. While it collects,
 * the expected records stay off the console.
 */
final class LogCapture extends Handler implements AutoCloseable {
  static final String LOGGER = "dev.eventual.ConcurrentFuture";

  private final Logger logger; // held strongly: JUL keeps loggers only weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final boolean parentHandlers;

  private LogCapture() {
    logger = Logger.getLogger(LOGGER);
    setLevel(Level.ALL);
    parentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }

  static LogCapture start() {
    return new LogCapture();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /**
   * The records logged by {@code thread}: what a call made on it logged, without the reports that
   * the library's Cleaner thread makes meanwhile for futures of earlier tests that the garbage
   * collector found with an exception nobody retrieved.
   */
  List<LogRecord> loggedBy(Thread thread) {
    return records.stream()
        .filter(r -> r.getLongThreadID() == thread.getId())
        .collect(Collectors.toList());
  }

  /** The records whose message contains {@code text}. */
  List<LogRecord> containing(String text) {
    return records.stream()
        .filter(r -> r.getMessage() != null && r.getMessage().contains(text))
        .collect(Collectors.toList());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parentHandlers);
  }
}
