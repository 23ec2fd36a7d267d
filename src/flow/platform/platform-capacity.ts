import { CANCELLED, type Clock } from '../../time/clock.js';
import type { Random } from '../../time/random.js';
import type { SlotController, SlotPermit } from '../slot-controller.js';
import { RefusalAttribution, type RefusalCause } from './refusal-cause.js';
import { TypeGate, type TypeGateListener, type TypeStatus, type TypeTicket } from './type-gate.js';

/** One task's hold on capacity: its type's turn and an account thread. */
export interface CapacityLease {
  readonly permit: SlotPermit;
  readonly ticket: TypeTicket;
}

/**
 * How long a refusal waits for another type's answer before it is read as the account's: about
 * a submit's round trip with room to spare, short beside the vendor's first 3 s backoff.
 */
export const VERDICT_WAIT_MS = 3_000;

/** A refusal whose cause waits for the next answer to another type's submit. */
interface PendingRefusal {
  readonly type: string;
  readonly ticket: TypeTicket;
  readonly ahead: number;
  readonly timer: AbortController;
  readonly resolve: (cause: RefusalCause) => void;
}

/** How a pending refusal was decided: by another type's answer, its own type's, or time. */
type Verdict = 'platform' | 'account' | 'own-accepted' | 'timed-out';

/**
 * Capacity has two sides: the account's threads (the SlotController) and the platform's workers
 * for each CAPTCHA type (one TypeGate per type). A task first takes its type's turn, so a busy
 * type's tasks wait apart and never stand in the way of other types, then an account thread.
 * Each refusal is put down to one cause: the account's limit learns only from its own refusals,
 * and limit cuts that turn out to have been the platform's are undone.
 *
 * Where what was seen before cannot tell the cause, another type is asked: the refused type holds
 * its submits and gives back its thread, the next submit is another type's, and that answer
 * decides. Accepted with as many of ours out: the account had room, so the platform refused.
 * Refused too: the account is full. A wrong "platform" costs the type a short backoff while other
 * types fill the threads; a wrong "account" would cut the limit, so the cheap mistake is preferred.
 */
export class PlatformCapacity {
  private readonly gates = new Map<string, TypeGate>();
  private readonly attribution = new RefusalAttribution();
  /**
   * Per type: the account limit before its refusals, read as the account's, began lowering it.
   * Put back if a refusal of the same streak (no acceptance of the type in between) turns out to
   * be the platform's, however long the streak: a platform burst refuses every submit of the type
   * while our tasks of it end one by one, and with no other type to ask each refusal reads as a
   * full account until none of ours is left, by then minutes of cuts. Dropped when the type is
   * accepted again, or once another type's refusal proves the account full.
   */
  private readonly limitBeforeCuts = new Map<string, number>();
  /** Per type: tasks that hold a valid turn and wait for an account thread. */
  private readonly queuedForThread = new Map<string, number>();
  private pending: PendingRefusal[] = [];

  constructor(
    private readonly slots: SlotController,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly listener: TypeGateListener,
  ) {}

  /** Tasks waiting because their type is busy or at its cap (not counting account waits). */
  get parked(): number {
    let parked = 0;
    for (const gate of this.gates.values()) parked += gate.waiting;
    return parked;
  }

  /** Every type seen so far and its state. */
  types(): TypeStatus[] {
    return [...this.gates.values()].map((gate) => gate.status());
  }

  isBusy(type: string): boolean {
    return this.gates.get(type)?.busy ?? false;
  }

  /** Whether the type waits at a cap the platform holds it to (see TypeGate.starved). */
  isStarved(type: string): boolean {
    return this.gates.get(type)?.starved ?? false;
  }

  /**
   * Waits for the type's turn (`front`: at the head of its type's queue), then for an account
   * thread. A turn that went stale meanwhile (the type turned busy) is given back unsent and the
   * task waits again, in its place.
   */
  async acquire(type: string, signal: AbortSignal, front = false): Promise<CapacityLease> {
    const gate = this.gate(type);
    for (;;) {
      const ticket = await gate.admit(signal, front);
      let permit: SlotPermit;
      this.queuedForThread.set(type, (this.queuedForThread.get(type) ?? 0) + 1);
      try {
        permit = await this.slots.acquire(signal, front || ticket.urgent);
      } catch (error) {
        ticket.release();
        throw error;
      } finally {
        this.queuedForThread.set(type, (this.queuedForThread.get(type) ?? 1) - 1);
      }
      if (ticket.valid) {
        ticket.sent();
        return { permit, ticket };
      }
      permit.release();
      ticket.release();
      front = true;
    }
  }

  /** in.php accepted the lease's task. */
  accepted(type: string, lease: CapacityLease): void {
    const { permit, ticket } = lease;
    const ahead = this.slots.aheadOf(permit);
    this.attribution.acceptedAt(type, ahead + 1, permit.kind === 'normal', this.clock.now());
    this.limitBeforeCuts.delete(type);
    for (const refusal of this.pending) {
      if (refusal.type === type) this.decide(refusal, 'own-accepted');
      else if (ahead + 1 >= refusal.ahead) this.decide(refusal, 'platform');
    }
    ticket.accepted();
    permit.accepted();
  }

  /**
   * in.php refused the lease's task for capacity. Resolves to the cause it was put down to, once
   * known (at once, or when another type's answer or VERDICT_WAIT_MS decides); each side has
   * learnt its part by then.
   */
  refused(type: string, lease: CapacityLease): Promise<RefusalCause> {
    const { permit, ticket } = lease;
    const ahead = this.slots.aheadOf(permit);
    const cause = this.attribution.cause({
      type,
      ahead,
      withinLimit: permit.kind === 'normal',
      typeBusy: this.isBusy(type) || ticket.aboveCap,
      now: this.clock.now(),
    });
    if (cause === 'account') {
      const others = this.pending.filter((refusal) => refusal.type !== type);
      if (others.length > 0) {
        // Two types refused one after the other: the account is full, and the cuts so far were right.
        for (const refusal of others) this.decide(refusal, 'account');
        this.limitBeforeCuts.clear();
        this.attribution.accountConfirmedFull(ahead);
      } else if (this.pending.length > 0 || this.canAskAnother(type)) {
        permit.release();
        return this.pend(type, ticket, ahead);
      }
    }
    if (cause === 'account') {
      this.accountRefused(type, ahead);
      permit.rejected();
      ticket.release();
    } else {
      this.platformRefused(type);
      permit.release();
      ticket.refused();
    }
    return Promise.resolve(cause);
  }

  close(): void {
    for (const refusal of [...this.pending]) this.decide(refusal, 'timed-out');
    for (const gate of this.gates.values()) gate.close();
  }

  /** Whether another type has a task ready to go now, whose answer would tell the cause. */
  private canAskAnother(type: string): boolean {
    for (const [other, gate] of this.gates) {
      if (other === type || gate.busy || gate.holding) continue;
      if ((this.queuedForThread.get(other) ?? 0) > 0 || gate.canSend) return true;
    }
    return false;
  }

  private pend(type: string, ticket: TypeTicket, ahead: number): Promise<RefusalCause> {
    this.gate(type).hold();
    return new Promise((resolve) => {
      const refusal: PendingRefusal = {
        type,
        ticket,
        ahead,
        timer: new AbortController(),
        resolve,
      };
      this.pending.push(refusal);
      this.clock.sleep(VERDICT_WAIT_MS, refusal.timer.signal).then(
        () => this.decide(refusal, 'timed-out'),
        () => undefined,
      );
    });
  }

  private decide(refusal: PendingRefusal, verdict: Verdict): void {
    if (!this.pending.includes(refusal)) return;
    this.pending = this.pending.filter((other) => other !== refusal);
    refusal.timer.abort(CANCELLED);
    if (verdict === 'platform') {
      this.platformRefused(refusal.type);
      refusal.ticket.refused();
    } else {
      // The account's, or not known: no limit cut here (the thread went back unsent). An account
      // that is full refuses the next submit too, and that one cuts.
      if (verdict === 'account') this.accountRefused(refusal.type, refusal.ahead);
      refusal.ticket.release();
    }
    if (!this.pending.some((other) => other.type === refusal.type))
      this.gate(refusal.type).unhold();
    refusal.resolve(verdict === 'platform' ? 'platform' : 'account');
  }

  private accountRefused(type: string, ahead: number): void {
    if (!this.limitBeforeCuts.has(type)) this.limitBeforeCuts.set(type, this.slots.limit);
    this.attribution.accountFull(ahead);
  }

  private platformRefused(type: string): void {
    const before = this.limitBeforeCuts.get(type);
    this.limitBeforeCuts.delete(type);
    if (before !== undefined) this.slots.restore(before);
  }

  private gate(type: string): TypeGate {
    let gate = this.gates.get(type);
    if (!gate) {
      gate = new TypeGate(type, this.clock, this.random, this.listener);
      this.gates.set(type, gate);
    }
    return gate;
  }
}
