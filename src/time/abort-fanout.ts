/** Anything that can be aborted with a reason: an AbortController, a request in flight. */
export interface Abortable {
  abort(reason?: unknown): void;
}

/**
 * Links many short-lived abortables (one per solve, one per request) to a few long-lived signals
 * (the solver's close signal, a signal every task of a solveMany shares) with a single listener
 * per signal and a Set of followers. Node's EventTarget scans every listener of a signal on each
 * add and remove, so thousands of solves each adding their own listener to one shared signal
 * made linking quadratic; here linking and unlinking are O(1) and allocate no closure.
 */
export class AbortFanout<T extends Abortable = AbortController> {
  private readonly followers = new WeakMap<AbortSignal, Set<T>>();

  /**
   * Aborts `follower` with `parent`'s reason when `parent` aborts (at once, returning false, if
   * it already has). Call unlink with the same pair when the follower is done.
   */
  link(follower: T, parent: AbortSignal | undefined): boolean {
    if (!parent) return true;
    if (parent.aborted) {
      follower.abort(parent.reason);
      return false;
    }
    let set = this.followers.get(parent);
    if (!set) {
      const created = new Set<T>();
      set = created;
      this.followers.set(parent, created);
      parent.addEventListener(
        'abort',
        () => {
          this.followers.delete(parent);
          const all = [...created];
          created.clear();
          for (const each of all) each.abort(parent.reason);
        },
        { once: true },
      );
    }
    set.add(follower);
    return true;
  }

  unlink(follower: T, parent: AbortSignal | undefined): void {
    if (parent) this.followers.get(parent)?.delete(follower);
  }
}
