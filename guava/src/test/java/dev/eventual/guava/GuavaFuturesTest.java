package dev.eventual.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.eventual.ConcurrentFuture;
import org.junit.jupiter.api.Test;

class GuavaFuturesTest {

  @Test
  void nullArgumentsAreRejectedByName() {
    assertThatThrownBy(() -> GuavaFutures.toConcurrentFuture(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("future must not be null");
    assertThatThrownBy(() -> GuavaFutures.toListenableFuture(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("future must not be null");
    assertThatThrownBy(() -> GuavaFutures.listeningExecutorService(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor must not be null");
  }

  @Test
  void adaptingAnAdapterBackGivesTheOriginalFuture() {
    ConcurrentFuture<String> cf = new ConcurrentFuture<>();
    ListenableFuture<String> lf = GuavaFutures.toListenableFuture(cf);
    assertThat(GuavaFutures.<String>toConcurrentFuture(lf)).isSameAs(cf);

    SettableFuture<String> settable = SettableFuture.create();
    ConcurrentFuture<String> adapted = GuavaFutures.toConcurrentFuture(settable);
    assertThat(GuavaFutures.<String>toListenableFuture(adapted)).isSameAs(settable);
  }

  @Test
  void eachCallMakesAFreshAdapterOfAPlainFuture() {
    ConcurrentFuture<String> cf = new ConcurrentFuture<>();
    assertThat(GuavaFutures.toListenableFuture(cf))
        .isNotSameAs(GuavaFutures.toListenableFuture(cf));
  }
}
