/**
 * Turns repeated interrupts (SIGINT, SIGTERM) into the two signals a batch run follows: the
 * first stops submitting and lets the tasks in flight be collected; the second ends the run at
 * once. Either way the journal is consistent: every state change is its own transaction.
 */
export class Interrupts {
  private readonly stopController = new AbortController();
  private readonly killController = new AbortController();
  private count = 0;

  /** Aborts on the first interrupt. */
  get stop(): AbortSignal {
    return this.stopController.signal;
  }

  /** Aborts on the second. */
  get kill(): AbortSignal {
    return this.killController.signal;
  }

  /** How many interrupts arrived. */
  get received(): number {
    return this.count;
  }

  interrupt(name: string): void {
    this.count++;
    if (this.count === 1) this.stopController.abort(new Error(`interrupted by ${name}`));
    else this.killController.abort(new Error(`interrupted twice (${name})`));
  }
}
