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
 *
 * <p>A turn that runs a lone entry (a task switch is one) takes it with {@link #takeSole}, which
 * leaves the queue its chunk: no chunk changes hands.
 *
 * <p>A turn that runs a few entries would still allocate a chunk per turn. So a taken chunk of the
 * smallest size, once read, is cleared and kept ({@link #putBack}) to be the next turn's first
 * chunk: two chunks take turns. After {@link #MAX_RECYCLED_TURNS} turns both are let go and new
 * ones allocated, so that a recycled chunk lives for microseconds and stays young (no collection
 * promotes it in that time but by rare chance, and then only for that many turns).
 */
final class ReadyQueue {
  /** The fewest entries a chunk holds. */
  private static final int MIN_CHUNK = 16;

  /** The most entries a chunk holds: 4 KiB of references (8 KiB without compressed oops). */
  static final int MAX_CHUNK = 1024;

  /** How many turns in a row recycle their chunk before two fresh ones replace the pair. */
  static final int MAX_RECYCLED_TURNS = 256;

  private Object[] first;
  private Object[] last;

  /** How many entries {@link #last} holds. */
  private int lastSize;

  private int size;

  /**
   * A read and cleared chunk of {@link #MIN_CHUNK} entries for the next {@link #takeAll}, or null.
   */
  private Object[] spare;

  /** How many chunks were recycled since the last fresh pair (see {@link #recycle}). */
  private int recycledTurns;

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

  /**
   * Takes the one entry queued (call only when {@link #size()} is 1), without handing the chunk to
   * a {@link Cursor}: the turn that runs a lone entry (a task switch is one) stores no chunk
   * reference. The chunk stays the queue's first; after {@link #MAX_RECYCLED_TURNS} turns it is let
   * go for a fresh one, as {@link #recycle} does, so that it stays young.
   *
   * @return the entry
   */
  Object takeSole() {
    Object[] c = first;
    Object entry = c[0];
    c[0] = null;
    lastSize = 0;
    size = 0;
    if (++recycledTurns > MAX_RECYCLED_TURNS) {
      recycledTurns = 0;
      spare = null;
      first = last = newChunk(MIN_CHUNK);
    }
    return entry;
  }

  /**
   * Puts back, at the head of the queue, an entry that a turn took and that an error left
   * unfinished (a future with callbacks still due): before what was queued since, and before the
   * unread rest of the turn's batch if that was {@linkplain #putBack put back} first.
   *
   * @param entry the entry
   */
  void putFirst(Object entry) {
    putBack(new Cursor(new Object[] {entry, null}, 1));
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
    Object[] next = spare;
    if (next != null && size <= MIN_CHUNK) {
      spare = null;
    } else {
      next = newChunk(Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, size)));
    }
    first = last = next;
    lastSize = 0;
    size = 0;
    return taken;
  }

  /** Drops every entry. */
  void clear() {
    spare = null;
    first = last = newChunk(MIN_CHUNK);
    lastSize = 0;
    size = 0;
  }

  /**
   * Reads the entries {@link #takeAll()} took, in order. A turn that cannot finish (a callback
   * threw an error the loop does not handle) gives the rest back with {@link #putBack}.
   */
  static final class Cursor {
    private Object[] first;
    private int count;
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
      reset(first, count);
    }

    /**
     * Starts again, at the first entry of another batch (a loop's turns reuse one cursor).
     *
     * @param first what {@link #takeAll()} returned
     * @param count how many entries it took
     */
    void reset(Object[] first, int count) {
      this.first = first;
      this.count = count;
      this.chunk = first;
      this.index = 0;
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
      recycle(cursor.first, cursor.count);
      cursor.first = cursor.chunk = null;
      return;
    }
    Object[] laterFirst = first;
    int later = size;
    clear();
    while (cursor.hasNext()) {
      add(cursor.peek());
      cursor.advance();
    }
    cursor.first = cursor.chunk = null;
    Cursor rest = new Cursor(laterFirst, later);
    while (rest.hasNext()) {
      add(rest.peek());
      rest.advance();
    }
  }

  /**
   * Keeps a chunk that {@link #takeAll()} gave out, now read, as the next turn's first chunk: only
   * one of the smallest size that held all of its batch (so it links nothing), and not the two
   * after {@link #MAX_RECYCLED_TURNS} recycled ones, which fresh chunks replace.
   */
  private void recycle(Object[] taken, int count) {
    if (taken.length != MIN_CHUNK + 1 || count > MIN_CHUNK) {
      return;
    }
    int turns = ++recycledTurns;
    if (turns > MAX_RECYCLED_TURNS) {
      if (turns == MAX_RECYCLED_TURNS + 2) {
        recycledTurns = 0;
      }
      return; // this one and the next are let go
    }
    java.util.Arrays.fill(taken, 0, count, null);
    spare = taken;
  }
}
