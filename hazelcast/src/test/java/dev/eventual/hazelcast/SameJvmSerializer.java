package dev.eventual.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only global serializer that passes objects by reference between members of one JVM: it
 * writes a ticket and reads the very object back. With it, the executor contract's tasks (lambdas
 * sharing latches and counters with the test) run through the real Hazelcast executor service. Each
 * ticket is read once.
 */
public final class SameJvmSerializer implements StreamSerializer<Object> {
  /** Creates the serializer; the objects live in a static map. */
  public SameJvmSerializer() {}

  private static final Map<Long, Object> OBJECTS = new ConcurrentHashMap<>();
  private static final AtomicLong TICKETS = new AtomicLong();

  @Override
  public void write(ObjectDataOutput out, Object object) throws IOException {
    long ticket = TICKETS.incrementAndGet();
    OBJECTS.put(ticket, object);
    out.writeLong(ticket);
  }

  @Override
  public Object read(ObjectDataInput in) throws IOException {
    long ticket = in.readLong();
    Object o = OBJECTS.remove(ticket);
    if (o == null) {
      throw new IOException("ticket " + ticket + " was read before or never written");
    }
    return o;
  }

  @Override
  public int getTypeId() {
    return 4242;
  }
}
