import { reportLater } from '../errors/report-later.js';

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

  /**
   * Calls every listener. A throwing listener cannot break a solve, but its error is not lost:
   * it goes to the `listener-error` listeners where the event map has that event and someone
   * listens, else it is thrown again on its own, outside the solve (see reportLater).
   */
  emit<K extends keyof E>(name: K, payload: E[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: E[K]) => void)(payload);
      } catch (error) {
        this.listenerFailed(name, error);
      }
    }
  }

  private listenerFailed(name: keyof E, error: unknown): void {
    const handlers =
      name === LISTENER_ERROR ? undefined : this.listeners.get(LISTENER_ERROR as keyof E);
    if (!handlers) return reportLater(error);
    const report = { event: String(name), error };
    for (const handler of [...handlers]) {
      try {
        (handler as (p: typeof report) => void)(report);
      } catch (failure) {
        reportLater(failure);
      }
    }
  }
}

/** The event a throwing listener's error goes to, where an emitter's event map has it. */
export const LISTENER_ERROR = 'listener-error';
