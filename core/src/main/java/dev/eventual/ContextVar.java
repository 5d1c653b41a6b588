package dev.eventual;

import dev.eventual.internal.CowMap;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value depends on the current {@link Context}: Python's {@code
 * contextvars.ContextVar} (PEP 567). Create them once, as constants; each thread, task and loop
 * callback sees the value of its own context.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");
 *
 * ContextVar.Token<String> token = REQUEST_ID.set("r-17");
 * try {
 *   handle(); // REQUEST_ID.get() is "r-17" here and in callbacks scheduled from here
 * } finally {
 *   REQUEST_ID.reset(token);
 * }
 * }</pre>
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code LookupError} is {@link NoSuchElementException}; {@code RuntimeError} is {@link
 *       IllegalStateException}; {@code ValueError} is {@link IllegalArgumentException}.
 *   <li>The attribute {@code name} is {@link #name()}; {@code Token.var} and {@code
 *       Token.old_value} are {@link Token#var()} and {@link Token#oldValue()}.
 *   <li>{@code null} is a value like any other (Python's {@code None}).
 * </ul>
 *
 * @param <T> the type of the values
 */
public final class ContextVar<T> {
  private final String name;
  private final boolean hasDefault;
  private final T defaultValue;

  /**
   * Creates a variable without a default: {@link #get()} fails where it is not set.
   *
   * @param name the name, for messages
   * @throws NullPointerException if {@code name} is null
   */
  public ContextVar(String name) {
    this.name = Objects.requireNonNull(name, "name must not be null");
    this.hasDefault = false;
    this.defaultValue = null;
  }

  /**
   * Creates a variable with a default, returned by {@link #get()} where it is not set.
   *
   * @param name the name, for messages
   * @param defaultValue the default, may be {@code null}
   * @throws NullPointerException if {@code name} is null
   */
  public ContextVar(String name, T defaultValue) {
    this.name = Objects.requireNonNull(name, "name must not be null");
    this.hasDefault = true;
    this.defaultValue = defaultValue;
  }

  /**
   * The variable's name: Python's {@code var.name}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the value in the current context, else the variable's default: Python's {@code
   * var.get()}.
   *
   * @return the value
   * @throws NoSuchElementException if the variable is not set in the current context and has no
   *     default (Python's {@code LookupError})
   */
  @SuppressWarnings("unchecked")
  public T get() {
    Object v = Context.current().vars().get(this);
    if (v != CowMap.ABSENT) {
      return (T) v;
    }
    if (hasDefault) {
      return defaultValue;
    }
    throw Context.lookupError(this);
  }

  /**
   * Returns the value in the current context, else {@code defaultValue} (which takes precedence
   * over the variable's own default): Python's {@code var.get(default)}.
   *
   * @param defaultValue returned when the variable is not set, may be {@code null}
   * @return the value or {@code defaultValue}
   */
  @SuppressWarnings("unchecked")
  public T get(T defaultValue) {
    Object v = Context.current().vars().get(this);
    return v == CowMap.ABSENT ? defaultValue : (T) v;
  }

  /**
   * Sets the value in the current context: Python's {@code var.set(value)}.
   *
   * @param value the new value, may be {@code null}
   * @return a token that {@link #reset} takes to restore the previous value
   */
  public Token<T> set(T value) {
    Context ctx = Context.currentForWrite();
    CowMap vars = ctx.vars();
    Object old = vars.get(this);
    ctx.vars(vars.with(this, value));
    return new Token<>(ctx, this, old == CowMap.ABSENT ? Token.MISSING : old);
  }

  /**
   * Restores the value the variable had before the {@link #set} that returned {@code token} (unsets
   * it if it had none): Python's {@code var.reset(token)}. On error nothing changes.
   *
   * @param token the token {@code set} returned
   * @throws NullPointerException if {@code token} is null
   * @throws IllegalStateException if the token was already used (CPython {@code RuntimeError})
   * @throws IllegalArgumentException if the token was created by another variable or in another
   *     context (CPython {@code ValueError})
   */
  public void reset(Token<T> token) {
    Objects.requireNonNull(token, "token must not be null");
    if (token.used) {
      throw new IllegalStateException(token + " has already been used once");
    }
    if (token.var != this) {
      throw new IllegalArgumentException(token + " was created by a different ContextVar");
    }
    Context ctx = Context.currentIfOwn();
    if (token.context != ctx) {
      throw new IllegalArgumentException(token + " was created in a different Context");
    }
    CowMap vars = ctx.vars();
    ctx.vars(token.old == Token.MISSING ? vars.without(this) : vars.with(this, token.old));
    token.used = true;
  }

  /**
   * Describes the variable: name, default (shown only for strings, numbers, booleans, characters
   * and enums; other values as {@code Class@hash}) and identity.
   *
   * @return for example {@code ContextVar[name='a', default=123]@1b6d3586}
   */
  @Override
  public String toString() {
    String d = hasDefault ? ", default=" + describe(defaultValue) : "";
    return "ContextVar[name='"
        + name
        + "'"
        + d
        + "]@"
        + Integer.toHexString(System.identityHashCode(this));
  }

  static String describe(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof Character
        || v instanceof Enum) {
      return String.valueOf(v);
    }
    return v.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(v));
  }

  /**
   * What {@link ContextVar#set} returns, to undo it with {@link ContextVar#reset}: Python's {@code
   * contextvars.Token}. Usable once.
   *
   * @param <T> the variable's type
   */
  public static final class Token<T> {
    /**
     * {@link #oldValue()} when the variable had no value before: Python's {@code Token.MISSING}.
     */
    public static final Object MISSING =
        new Object() {
          @Override
          public String toString() {
            return "<Token.MISSING>";
          }
        };

    private final Context context;
    private final ContextVar<T> var;
    private final Object old;
    private boolean used;

    Token(Context context, ContextVar<T> var, Object old) {
      this.context = context;
      this.var = var;
      this.old = old;
    }

    /**
     * The variable whose {@code set} created this token: Python's {@code token.var}.
     *
     * @return the variable
     */
    public ContextVar<T> var() {
      return var;
    }

    /**
     * The value before the {@code set}, or {@link #MISSING}: Python's {@code token.old_value}.
     *
     * @return the old value (possibly {@code null}) or {@link #MISSING}
     */
    public Object oldValue() {
      return old;
    }

    /**
     * Whether {@link ContextVar#reset} already took this token.
     *
     * @return true once used
     */
    public boolean isUsed() {
      return used;
    }

    /**
     * Describes the token by its variable, and says "used" once it was used.
     *
     * @return for example {@code Token[var=ContextVar[name='a']@1b6d3586 used]@4554617c}
     */
    @Override
    public String toString() {
      return "Token[var="
          + var
          + (used ? " used" : "")
          + "]@"
          + Integer.toHexString(System.identityHashCode(this));
    }
  }
}
