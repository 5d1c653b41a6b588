package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReadyQueueTest {
  private final ReadyQueue queue = new ReadyQueue();

  private static List<Object> read(ReadyQueue.Cursor cursor) {
    List<Object> out = new ArrayList<>();
    while (cursor.hasNext()) {
      out.add(cursor.peek());
      cursor.advance();
    }
    return out;
  }

  private static ReadyQueue.Cursor take(ReadyQueue q) {
    int n = q.size();
    return new ReadyQueue.Cursor(q.takeAll(), n);
  }

  private void addAll(List<?> entries) {
    entries.forEach(queue::add);
  }

  private static List<Object> range(int from, int to) {
    List<Object> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void entriesComeOutInTheOrderTheyWentInAcrossManyChunks() {
    List<Object> in = range(0, 10 * ReadyQueue.MAX_CHUNK + 7);
    addAll(in);
    assertThat(queue.size()).isEqualTo(in.size());
    assertThat(queue.isEmpty()).isFalse();
    assertThat(read(take(queue))).isEqualTo(in);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void noChunkEverHoldsMoreThanTheLargestChunkSize() {
    addAll(range(0, 5 * ReadyQueue.MAX_CHUNK));
    Object[] chunk = queue.takeAll();
    int chunks = 0;
    while (chunk != null) {
      assertThat(chunk.length).isLessThanOrEqualTo(ReadyQueue.MAX_CHUNK + 1);
      chunk = (Object[]) chunk[chunk.length - 1];
      chunks++;
    }
    assertThat(chunks).isGreaterThan(5);
    queue.add("next");
    assertThat(queue.takeAll().length).isEqualTo(ReadyQueue.MAX_CHUNK + 1);
  }

  @Test
  void whatIsAddedAfterTakeAllGoesIntoTheNextTurnNotTheTakenOne() {
    addAll(List.of("a", "b"));
    ReadyQueue.Cursor taken = take(queue);
    queue.add("c");
    assertThat(read(taken)).containsExactly("a", "b");
    assertThat(read(take(queue))).containsExactly("c");
  }

  @Test
  void putBackPutsTheUnreadRestInFrontOfWhatWasQueuedSince() {
    List<Object> in = range(0, 3 * ReadyQueue.MAX_CHUNK);
    addAll(in);
    ReadyQueue.Cursor taken = take(queue);
    for (int i = 0; i < ReadyQueue.MAX_CHUNK + 5; i++) {
      taken.peek();
      taken.advance();
    }
    addAll(List.of("later", "later2"));
    queue.putBack(taken);
    List<Object> expected = new ArrayList<>(in.subList(ReadyQueue.MAX_CHUNK + 5, in.size()));
    expected.addAll(List.of("later", "later2"));
    assertThat(queue.size()).isEqualTo(expected.size());
    assertThat(read(take(queue))).isEqualTo(expected);
  }

  @Test
  void aPeekedEntryThatWasNotAdvancedPastIsPutBack() {
    addAll(List.of("a", "b"));
    ReadyQueue.Cursor taken = take(queue);
    taken.peek();
    taken.advance();
    assertThat(taken.peek()).isEqualTo("b");
    queue.putBack(taken);
    assertThat(read(take(queue))).containsExactly("b");
  }

  @Test
  void puttingBackAFinishedCursorChangesNothing() {
    queue.add("a");
    ReadyQueue.Cursor taken = take(queue);
    read(taken);
    queue.add("b");
    queue.putBack(taken);
    assertThat(read(take(queue))).containsExactly("b");
  }

  @Test
  void takeSoleTakesTheLoneEntryAndWhatIsAddedThenIsTheNextTurns() {
    queue.add("a");
    assertThat(queue.takeSole()).isEqualTo("a");
    assertThat(queue.isEmpty()).isTrue();
    queue.add("b");
    queue.add("c");
    assertThat(read(take(queue))).containsExactly("b", "c");
  }

  @Test
  void loneTurnsKeepTheirChunkOnlyForALimitedNumberOfTurns() {
    Map<Object[], Boolean> chunks = new IdentityHashMap<>();
    for (int turn = 0; turn < 3 * ReadyQueue.MAX_RECYCLED_TURNS; turn++) {
      queue.add(turn);
      Object[] chunk = firstChunk();
      chunks.put(chunk, true);
      assertThat(queue.takeSole()).isEqualTo(turn);
      assertThat(chunk[0]).isNull(); // the chunk holds nothing of the entry taken
    }
    assertThat(chunks.size()).isBetween(3, 4); // a fresh chunk every MAX_RECYCLED_TURNS turns
  }

  /** The queue's first chunk (read by reflection: takeAll would replace it). */
  private Object[] firstChunk() {
    try {
      java.lang.reflect.Field first = ReadyQueue.class.getDeclaredField("first");
      first.setAccessible(true);
      return (Object[]) first.get(queue);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void putFirstPutsAnEntryBackInFrontOfWhatWasQueuedSince() {
    queue.add("unfinished");
    Object taken = queue.takeSole();
    queue.add("scheduled meanwhile");
    queue.putFirst(taken);
    assertThat(read(take(queue))).containsExactly("unfinished", "scheduled meanwhile");
  }

  @Test
  void clearDropsEverything() {
    addAll(range(0, 100));
    queue.clear();
    assertThat(queue.isEmpty()).isTrue();
    queue.add("b");
    assertThat(read(take(queue))).containsExactly("b");
  }

  /** One loop turn: takes every entry, reads them all, and hands the cursor back. */
  private Object[] turn() {
    int n = queue.size();
    Object[] chunk = queue.takeAll();
    ReadyQueue.Cursor cursor = new ReadyQueue.Cursor(chunk, n);
    read(cursor);
    queue.putBack(cursor);
    return chunk;
  }

  @Test
  void aSmallReadChunkIsTheNextTurnsFirstChunkAndHoldsNothingOfItsLastBatch() {
    addAll(List.of("a", "b", "c"));
    Object[] first = turn();
    queue.add("d"); // into the chunk that takeAll made current; the read one is kept aside
    Object[] second = turn();
    assertThat(second).isNotSameAs(first);
    queue.add("e");
    Object[] third = queue.takeAll();
    assertThat(third).isSameAs(first);
    assertThat(third[0]).isEqualTo("e");
    for (int i = 1; i < third.length; i++) {
      assertThat(third[i]).as("slot %d keeps nothing of the earlier batch", i).isNull();
    }
  }

  @Test
  void aRecycledChunkIsLetGoAfterABoundedNumberOfTurns() {
    Map<Object[], Integer> turnsPerChunk = new IdentityHashMap<>();
    for (int i = 0; i < 4 * ReadyQueue.MAX_RECYCLED_TURNS; i++) {
      queue.add(i);
      turnsPerChunk.merge(turn(), 1, Integer::sum);
    }
    assertThat(turnsPerChunk.size()).isGreaterThanOrEqualTo(6);
    assertThat(turnsPerChunk.values()).allMatch(n -> n <= ReadyQueue.MAX_RECYCLED_TURNS);
  }

  @Test
  void aBatchLargerThanTheSmallestChunkIsNotRecycled() {
    addAll(range(0, 40));
    Object[] big = turn();
    queue.add("x");
    turn();
    queue.add("y");
    Object[] next = queue.takeAll();
    assertThat(next).isNotSameAs(big);
    assertThat(next[0]).isEqualTo("y");
  }

  @Test
  void aChunkWhoseBatchWasPutBackUnreadIsNotRecycled() {
    addAll(List.of("a", "b"));
    int n = queue.size();
    Object[] chunk = queue.takeAll();
    ReadyQueue.Cursor cursor = new ReadyQueue.Cursor(chunk, n);
    cursor.peek();
    cursor.advance();
    queue.putBack(cursor);
    assertThat(chunk[1]).isEqualTo("b"); // untouched: not cleared for reuse
    assertThat(read(take(queue))).containsExactly("b");
    queue.add("c");
    assertThat(queue.takeAll()).isNotSameAs(chunk);
  }
}
