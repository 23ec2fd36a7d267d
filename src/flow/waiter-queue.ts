import { AbortError } from '../errors/abort-error.js';

export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Node<T> extends Waiter<T> {
  prev: Node<T> | undefined;
  next: Node<T> | undefined;
  detach: () => void;
}

/**
 * A FIFO of promises waiting for something, with O(1) enqueue at either end, O(1) removal of an
 * aborted waiter, and no work at all for waiters that never abort. Thousands of queued tasks cost
 * one small node each.
 */
export class WaiterQueue<T> {
  private head: Node<T> | undefined;
  private tail: Node<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  enqueue(signal: AbortSignal | undefined, front = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const node: Node<T> = {
        prev: undefined,
        next: undefined,
        detach: () => undefined,
        resolve: (value) => {
          node.detach();
          resolve(value);
        },
        reject: (error) => {
          node.detach();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- callers pass AbortError
          reject(error);
        },
      };
      if (signal) {
        const onAbort = (): void => {
          this.unlink(node);
          reject(new AbortError(signal.reason));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        node.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.link(node, front);
    });
  }

  /** Takes the first waiter off the queue; the caller settles it. */
  shift(): Waiter<T> | undefined {
    const node = this.head;
    if (node) this.unlink(node);
    return node;
  }

  rejectAll(error: unknown): void {
    for (let node = this.shift(); node; node = this.shift()) node.reject(error);
  }

  private link(node: Node<T>, front: boolean): void {
    if (!this.head || !this.tail) {
      this.head = this.tail = node;
    } else if (front) {
      node.next = this.head;
      this.head.prev = node;
      this.head = node;
    } else {
      node.prev = this.tail;
      this.tail.next = node;
      this.tail = node;
    }
    this.count++;
  }

  private unlink(node: Node<T>): void {
    if (node.prev) node.prev.next = node.next;
    else if (this.head === node) this.head = node.next;
    else return; // already unlinked
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
    this.count--;
  }
}
