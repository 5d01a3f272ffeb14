import type { Listener, ListenerMap, TypedEventEmitter } from 'matrix-js-sdk';

/**
 * Subscribes `listener` to one typed SDK event and returns the function that removes exactly that
 * subscription. Binders collect these instead of pairing every `on` with a hand-written `off`,
 * so a listener cannot be added without its removal.
 */
export function listen<E extends string, A extends ListenerMap<E>, T extends E>(
  emitter: TypedEventEmitter<E, A>,
  event: T,
  listener: Listener<E, A, T>,
): () => void {
  emitter.on(event, listener);
  return () => {
    emitter.off(event, listener);
  };
}

/** Combines several removal functions into one that runs them all, in reverse order of adding. */
export function unsubscribeAll(unsubscribers: readonly (() => void)[]): () => void {
  return () => {
    for (const unsubscribe of [...unsubscribers].reverse()) unsubscribe();
  };
}
