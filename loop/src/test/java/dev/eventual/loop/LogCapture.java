package dev.eventual.loop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Collects what the loop logs (System.Logger routes to java.util.logging); keeps it quiet. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger; // held strongly: JUL keeps loggers only weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final boolean parentHandlers;

  private LogCapture() {
    logger = Logger.getLogger("dev.eventual.loop.EventLoop");
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
