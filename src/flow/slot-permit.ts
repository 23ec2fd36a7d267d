/** Why a submit was let through: room under the limit, room freed by finished tasks, or a probe. */
export type PermitKind = 'normal' | 'speculative' | 'probe';

/** What a permit holder reports back: the submit's fate, then the end of the task. */
export interface SlotPermit {
  /** in.php accepted the task: it now holds a thread on the service. */
  accepted(): void;
  /** in.php refused for capacity: the permit is given back and the limit learns from it. */
  rejected(): void;
  /** The task is over (answered, failed or abandoned): its thread is free for the next one. */
  release(): void;
  readonly kind: PermitKind;
  /** Its place in the order submits were let through. */
  readonly seq: number;
}

export interface PermitHooks {
  accepted(kind: PermitKind, seq: number): void;
  rejected(kind: PermitKind, seq: number): void;
  /** `onService` tells whether the task had been accepted. */
  released(kind: PermitKind, seq: number, onService: boolean): void;
}

/** A permit whose callbacks fire at most once each, in a legal order. */
export function createPermit(kind: PermitKind, seq: number, hooks: PermitHooks): SlotPermit {
  let state: 'submitting' | 'on-service' | 'done' = 'submitting';
  return {
    kind,
    seq,
    accepted: () => {
      if (state !== 'submitting') return;
      state = 'on-service';
      hooks.accepted(kind, seq);
    },
    rejected: () => {
      if (state !== 'submitting') return;
      state = 'done';
      hooks.rejected(kind, seq);
    },
    release: () => {
      if (state === 'done') return;
      const onService = state === 'on-service';
      state = 'done';
      hooks.released(kind, seq, onService);
    },
  };
}
