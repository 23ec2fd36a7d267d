/** Listener map: event name -> payload type. */
export type EventMap<E> = { [K in keyof E]: object };

/**
 * A minimal typed event emitter. Emitters check `listens()` before building a payload, so an
 * event nobody subscribed to costs one map lookup and nothing else.
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();

  on<K extends keyof E>(name: K, listener: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof E>(name: K, listener: (payload: E[K]) => void): void {
    const set = this.listeners.get(name);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(name);
  }

  listens(name: keyof E): boolean {
    return this.listeners.has(name);
  }

  /** Calls every listener; a throwing listener is isolated so it cannot break a solve. */
  emit<K extends keyof E>(name: K, payload: E[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: E[K]) => void)(payload);
      } catch {
        // A listener's failure is the listener's problem; the task goes on.
      }
    }
  }
}
