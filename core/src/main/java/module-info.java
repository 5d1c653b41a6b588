/**
 * eventual-core: Python's {@code concurrent.futures} on the JVM.
 *
 * <p>Exports only {@code dev.eventual}; the machinery in {@code dev.eventual.internal} stays
 * hidden. No run-time dependencies beyond {@code java.base}.
 */
module dev.eventual {
  exports dev.eventual;
}
