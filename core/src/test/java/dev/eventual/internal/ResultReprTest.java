package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResultReprTest {

  private static String identityOf(Object o) {
    return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  @Test
  void boxedPrimitivesAreShownByValue() {
    assertThat(ResultRepr.of(42)).isEqualTo("42");
    assertThat(ResultRepr.of(-7L)).isEqualTo("-7");
    assertThat(ResultRepr.of(true)).isEqualTo("true");
    assertThat(ResultRepr.of(1.5d)).isEqualTo("1.5");
    assertThat(ResultRepr.of(2.5f)).isEqualTo("2.5");
    assertThat(ResultRepr.of((short) 3)).isEqualTo("3");
    assertThat(ResultRepr.of((byte) 4)).isEqualTo("4");
    assertThat(ResultRepr.of('x')).isEqualTo("'x'");
    assertThat(ResultRepr.of(null)).isEqualTo("null");
  }

  @Test
  void stringsAreQuotedAndEscaped() {
    assertThat(ResultRepr.of("done")).isEqualTo("\"done\"");
    assertThat(ResultRepr.of("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    assertThat(ResultRepr.of('\'')).isEqualTo("'\\''");
  }

  @Test // Python reprlib: a long string is cut in the middle
  void longStringsAreCutInTheMiddle() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    assertThat(ResultRepr.of(alphabet)).isEqualTo("\"abcdefghijklm...wxyz0123456789\"");
    String exactlyMax = "x".repeat(ResultRepr.MAX_STRING);
    assertThat(ResultRepr.of(exactlyMax)).isEqualTo("\"" + exactlyMax + "\"");
  }

  @Test
  void bigNumbersOfTheJdksOwnClassesAreShownByValueUpToALimit() {
    assertThat(ResultRepr.of(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
    assertThat(ResultRepr.of(new BigDecimal("3.14159"))).isEqualTo("3.14159");
    BigInteger huge = BigInteger.ONE.shiftLeft(ResultRepr.MAX_BITS + 1);
    assertThat(ResultRepr.of(huge)).isEqualTo(identityOf(huge));
  }

  @Test
  void subclassesOfBigNumbersAreShownByIdentity() {
    BigInteger sneaky =
        new BigInteger("42") {
          private static final long serialVersionUID = 1L;

          @Override
          public String toString() {
            throw new AssertionError("user code ran");
          }
        };
    assertThat(ResultRepr.of(sneaky)).isEqualTo(identityOf(sneaky));
  }

  enum Colour {
    RED {
      @Override
      public String toString() {
        throw new AssertionError("user code ran");
      }
    }
  }

  @Test
  void enumConstantsAreShownByNameWithoutCallingTheirToString() {
    assertThat(ResultRepr.of(TimeUnit.SECONDS)).isEqualTo("java.util.concurrent.TimeUnit.SECONDS");
    assertThat(ResultRepr.of(Colour.RED))
        .isEqualTo("dev.eventual.internal.ResultReprTest$Colour.RED");
  }

  @Test
  void everythingElseIsShownByIdentityWithoutRunningItsCode() {
    AtomicInteger calls = new AtomicInteger();
    Object user =
        new Object() {
          @Override
          public String toString() {
            calls.incrementAndGet();
            return "user";
          }

          @Override
          public int hashCode() {
            calls.incrementAndGet();
            return 1;
          }
        };
    assertThat(ResultRepr.of(user)).isEqualTo(identityOf(user));
    StringBuilder mutable = new StringBuilder("mutable");
    assertThat(ResultRepr.of(mutable)).isEqualTo(identityOf(mutable));
    assertThat(calls).hasValue(0);
  }
}
