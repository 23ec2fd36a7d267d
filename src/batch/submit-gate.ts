import { AbortError } from '../errors/abort-error.js';
import type { SubmitOutcome } from '../solver/submit-outcome.js';
import type { SolveOptions } from '../solver/types.js';
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  TransportCallOptions,
} from '../transport/types.js';

export type { SubmitOutcome } from '../solver/submit-outcome.js';

/** One task's hooks around each of its in.php requests. */
export interface SubmitTicket {
  /** Synchronously before the request is sent (the journal's `submitting`); throwing stops it. */
  sending(): void;
  /** After the request: a refusal means nothing of this task is on the service. */
  answered(outcome: SubmitOutcome): void;
}

/** The abort reason of a submit the gate held back: nothing was sent. */
export const SUBMIT_HELD: Error = new Error('submitting is paused');

/** An in.php request that no journaled task sent: a bug, refused rather than risk a double bill. */
export class UnjournaledSubmitError extends Error {
  constructor() {
    super('an in.php request was about to be sent outside a journaled task');
    this.name = 'UnjournaledSubmitError';
  }
}

/**
 * Watches every in.php request of a batch, because the journal must know the moment a submit
 * goes on the wire, not the moment a task starts waiting for a thread: a run killed while tasks
 * wait for threads must not mark them all ambiguous. Each task's solve gets the gate's hooks
 * (`onSubmitting`, `onSubmitAnswered`), which the Solver calls right before and after each of
 * its in.php requests. While the gate is closed (Ctrl-C, a fatal account error, outside the
 * `--window`), a submit is refused before it is sent, with an AbortError whose cause is
 * SUBMIT_HELD. The transport the Solver gets refuses any in.php request that no hook announced.
 */
export class SubmitGate {
  private open: () => boolean = () => true;
  /** Set by a task's `onSubmitting`; the transport takes it in the same synchronous step. */
  private announced = false;

  /** Decides, at each submit, whether it may be sent. */
  setPolicy(isOpen: () => boolean): void {
    this.open = isOpen;
  }

  /** The solve options that route one task's in.php requests through `ticket`. */
  hooks(ticket: SubmitTicket): Required<Pick<SolveOptions, 'onSubmitting' | 'onSubmitAnswered'>> {
    return {
      onSubmitting: () => {
        if (!this.open()) throw new AbortError(SUBMIT_HELD);
        ticket.sending();
        this.announced = true;
      },
      onSubmitAnswered: (outcome) => ticket.answered(outcome),
    };
  }

  /** The transport to give the Solver. */
  wrap(inner: Transport): Transport {
    const send = (request: ApiRequest, options?: TransportCallOptions): Promise<ApiResponse> => {
      if (request.endpoint === 'in.php') {
        if (!this.announced) return Promise.reject(new UnjournaledSubmitError());
        this.announced = false;
      }
      return inner.send(request, options);
    };
    const wrapped: Transport = { send };
    if (inner.close) wrapped.close = () => inner.close?.() ?? Promise.resolve();
    return wrapped;
  }
}
