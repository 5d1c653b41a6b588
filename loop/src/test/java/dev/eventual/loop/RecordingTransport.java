package dev.eventual.loop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A transport without a socket for stream tests: records what is written and how it is driven. */
class RecordingTransport implements Transport {
  final List<String> calls = new ArrayList<>();
  final ByteArrayOutputStream written = new ByteArrayOutputStream();
  boolean reading = true;
  boolean closing;
  boolean canPause = true;
  BaseProtocol protocol;

  @Override
  public void write(ByteBuffer data) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    written.writeBytes(b);
  }

  @Override
  public void writeEof() {
    calls.add("writeEof");
  }

  @Override
  public boolean canWriteEof() {
    return true;
  }

  @Override
  public void close() {
    calls.add("close");
    closing = true;
  }

  @Override
  public void abort() {
    calls.add("abort");
    closing = true;
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public void pauseReading() {
    if (!canPause) {
      throw new UnsupportedOperationException("cannot pause");
    }
    calls.add("pauseReading");
    reading = false;
  }

  @Override
  public void resumeReading() {
    calls.add("resumeReading");
    reading = true;
  }

  @Override
  public boolean isReading() {
    return reading;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {}

  @Override
  public WriteBufferLimits getWriteBufferLimits() {
    return new WriteBufferLimits(0, 0);
  }

  @Override
  public int getWriteBufferSize() {
    return 0;
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    return defaultValue;
  }

  @Override
  public BaseProtocol getProtocol() {
    return protocol;
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    this.protocol = protocol;
  }
}
