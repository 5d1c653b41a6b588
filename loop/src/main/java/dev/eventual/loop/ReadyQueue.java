package dev.eventual.loop;

/**
 * The loop's ready queue (asyncio's {@code _ready}): what runs in the next turn, in order. Loop
 * thread only. An entry is a {@link Handle}, or a {@link LoopFuture} whose done-callbacks are due.
 *
 * <p>The entries sit in chunks: arrays whose last slot links the next chunk. A turn takes all the
 * chunks ({@link #takeAll()}, then reads them with a {@link Cursor}) and the queue starts a new
 * chunk for what the turn schedules. That is cheaper than a long-lived ring buffer such as {@code
 * ArrayDeque}: once a garbage collection has promoted such an array to the old generation, G1's
 * write barrier makes every store of a new (young) handle into it pay a StoreLoad fence (measured
 * with async-profiler on {@code LoopFutureBenchmark}: {@code ArrayDeque.addLast} took 21% of the
 * samples). A new chunk is young, so its stores skip the fence, and a taken chunk needs no
 * clearing. Chunks stay small ({@link #MAX_CHUNK} entries) because G1 allocates an array of half a
 * region or more (512 KiB with a 1 GiB heap) directly in the old generation: a growing single array
 * would get there in a burst of callbacks, and pay the fence again.
 */
final class ReadyQueue {
  /** The fewest entries a chunk holds. */
  private static final int MIN_CHUNK = 16;

  /** The most entries a chunk holds: 4 KiB of references (8 KiB without compressed oops). */
  static final int MAX_CHUNK = 1024;

  private Object[] first;
  private Object[] last;

  /** How many entries {@link #last} holds. */
  private int lastSize;

  private int size;

  ReadyQueue() {
    clear();
  }

  private static Object[] newChunk(int entries) {
    return new Object[entries + 1]; // the last slot links the next chunk
  }

  /** Appends an entry. */
  void add(Object entry) {
    Object[] c = last;
    int n = lastSize;
    if (n == c.length - 1) {
      c = linkChunk(c);
      n = 0;
    }
    c[n] = entry;
    lastSize = n + 1;
    size++;
  }

  private Object[] linkChunk(Object[] full) {
    Object[] next = newChunk(Math.min(MAX_CHUNK, 2 * (full.length - 1)));
    full[full.length - 1] = next;
    last = next;
    return next;
  }

  /** How many entries are queued. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Takes every entry, to be read in order with a {@link Cursor}; {@link #size()} just before the
   * call says how many there are. The queue is left empty, its first chunk as large as the entries
   * taken (within the chunk bounds).
   *
   * @return the first chunk of the entries taken
   */
  Object[] takeAll() {
    Object[] taken = first;
    first = last = newChunk(Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, size)));
    lastSize = 0;
    size = 0;
    return taken;
  }

  /** Drops every entry. */
  void clear() {
    first = last = newChunk(MIN_CHUNK);
    lastSize = 0;
    size = 0;
  }

  /**
   * Reads the entries {@link #takeAll()} took, in order. A turn that cannot finish (a callback
   * threw an error the loop does not handle) gives the rest back with {@link #putBack}.
   */
  static final class Cursor {
    private Object[] chunk;
    private int index;
    private int left;

    /**
     * Starts at the first entry.
     *
     * @param first what {@link #takeAll()} returned
     * @param count how many entries it took
     */
    Cursor(Object[] first, int count) {
      this.chunk = first;
      this.left = count;
    }

    boolean hasNext() {
      return left > 0;
    }

    /** The next entry, which stays unread (for {@link #putBack}) until {@link #advance()}. */
    Object peek() {
      Object[] c = chunk;
      int i = index;
      if (i == c.length - 1) {
        c = (Object[]) c[i];
        chunk = c;
        index = i = 0;
      }
      return c[i];
    }

    /** Marks the entry {@link #peek()} returned as read. */
    void advance() {
      index++;
      left--;
    }
  }

  /**
   * Puts the entries a cursor has not read back in front of what was queued since.
   *
   * @param cursor a cursor over entries this queue gave out
   */
  void putBack(Cursor cursor) {
    if (!cursor.hasNext()) {
      return;
    }
    Object[] laterFirst = first;
    int later = size;
    clear();
    while (cursor.hasNext()) {
      add(cursor.peek());
      cursor.advance();
    }
    Cursor rest = new Cursor(laterFirst, later);
    while (rest.hasNext()) {
      add(rest.peek());
      rest.advance();
    }
  }
}
