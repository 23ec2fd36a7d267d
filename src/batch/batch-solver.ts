import { Solver } from '../solver/solver.js';
import { DEFAULT_SOLVER_OPTIONS, httpTransportOptions } from '../solver/options.js';
import type { SolverOptions } from '../solver/types.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { SubmitGate } from './submit-gate.js';

export interface BatchSolver {
  solver: Solver;
  gate: SubmitGate;
  /** Closes the solver, then the transport it was given. */
  close(): Promise<void>;
}

/**
 * The Solver a batch runs on. `resubmitAmbiguous` is forced off: a lost submit answer surfaces
 * as AmbiguousSubmitError and the journal decides (it knows `--resubmit-ambiguous` and how often
 * the line was lost before). The transport goes through a SubmitGate, so the journal records a
 * submit right before it goes on the wire.
 */
export function createBatchSolver(options: SolverOptions): BatchSolver {
  const gate = new SubmitGate();
  const inner =
    options.transport ??
    createHttpTransport(
      httpTransportOptions(options, options.baseUrl ?? DEFAULT_SOLVER_OPTIONS.baseUrl),
    );
  const solver = new Solver({ ...options, transport: gate.wrap(inner), resubmitAmbiguous: false });
  return {
    solver,
    gate,
    async close() {
      await solver.close();
      // Given a transport, the Solver leaves closing it to us; one we created is ours to close.
      if (options.transport === undefined) await inner.close?.();
    },
  };
}
