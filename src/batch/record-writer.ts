import type { Clock } from '../time/clock.js';
import type { JournalStore } from './journal-store.js';
import type { OutputSink } from './output-sink.js';

/**
 * Writes result lines whose records are already `done` in the journal, then marks them
 * `written`. Lines finished in the same turn of the event loop go out as one batch: one write,
 * one fsync, one journal transaction, so the cost per line stays small at thousands of lines a
 * second. Batches are written one after another, in completion order.
 */
export class RecordWriter {
  private pending: Array<{ line: number; record: string }> = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private count = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly journal: JournalStore,
    private readonly clock: Clock,
    /** Called once if the output or the journal fails: the run must stop. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Lines handed to the sink and marked written so far. */
  get written(): number {
    return this.count;
  }

  /** Queues a line; its record must already be `done` in the journal. */
  push(line: number, record: string): void {
    this.pending.push({ line, record });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.chain = this.chain.then(() => this.writeBatch());
    });
  }

  /** Resolves once every line pushed so far is written (or the writer failed). */
  async flush(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      // A microtask may have queued one more batch meanwhile.
      await Promise.resolve();
      if (chain === this.chain && this.pending.length === 0 && !this.scheduled) return;
    }
  }

  private async writeBatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || this.failure !== undefined) return;
    try {
      const committed = await this.sink.append(batch.map((b) => `${b.record}\n`).join(''));
      this.journal.written(
        batch.map((b) => b.line),
        committed,
        this.clock.now(),
      );
      this.count += batch.length;
    } catch (error) {
      this.failure = error;
      this.onError(error);
    }
  }
}
