import { AsyncLocalStorage } from 'node:async_hooks';
import { AbortError } from '../errors/abort-error.js';
import { NetworkError } from '../errors/network-error.js';
import { parseAnswer } from '../protocol/parse-answer.js';
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  TransportCallOptions,
} from '../transport/types.js';

/** What an in.php answer says about the task: taken, surely not taken, or nobody knows. */
export type SubmitOutcome = 'accepted' | 'refused' | 'unknown';

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
 * Sits between the Solver and its transport and watches every in.php request, because the
 * journal must know the moment a submit goes on the wire, not the moment a task starts waiting
 * for a thread: a run killed while tasks wait for threads must not mark them all ambiguous.
 * Requests are matched to their task through AsyncLocalStorage (the submit runs in the task's
 * async context), so the Solver needs no hook of its own. While the gate is closed (Ctrl-C, a
 * fatal account error, outside the `--window`), a submit is refused before it is sent, with an
 * AbortError whose cause is SUBMIT_HELD.
 */
export class SubmitGate {
  private readonly context = new AsyncLocalStorage<SubmitTicket>();
  private open: () => boolean = () => true;

  /** Decides, at each submit, whether it may be sent. */
  setPolicy(isOpen: () => boolean): void {
    this.open = isOpen;
  }

  /** Runs `work` (a solve) so that its in.php requests go through `ticket`. */
  run<T>(ticket: SubmitTicket, work: () => Promise<T>): Promise<T> {
    return this.context.run(ticket, work);
  }

  /** The transport to give the Solver. */
  wrap(inner: Transport): Transport {
    const send = async (
      request: ApiRequest,
      options?: TransportCallOptions,
    ): Promise<ApiResponse> => {
      if (request.endpoint !== 'in.php') return inner.send(request, options);
      const ticket = this.context.getStore();
      if (!ticket) throw new UnjournaledSubmitError();
      if (!this.open()) throw new AbortError(SUBMIT_HELD);
      ticket.sending();
      let response: ApiResponse;
      try {
        response = await inner.send(request, options);
      } catch (error) {
        ticket.answered(
          error instanceof NetworkError && !error.mayHaveReachedServer ? 'refused' : 'unknown',
        );
        throw error;
      }
      ticket.answered(outcomeOf(response));
      return response;
    };
    const wrapped: Transport = { send };
    if (inner.close) wrapped.close = () => inner.close?.() ?? Promise.resolve();
    return wrapped;
  }
}

/** Reads the answer the way the Solver will: an id is acceptance, an error code a refusal. */
function outcomeOf(response: ApiResponse): SubmitOutcome {
  // A 429 comes from the rate limiter in front of the service's logic: nothing was created.
  if (response.status === 429) return 'refused';
  if (response.status !== 200) return 'unknown';
  try {
    const answer = parseAnswer(response, 'in.php', 0);
    if (answer.kind === 'ok') return 'accepted';
    return answer.kind === 'error' ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}
