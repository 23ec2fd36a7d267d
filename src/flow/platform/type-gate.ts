import { AbortError } from '../../errors/abort-error.js';
import { CANCELLED, type Clock } from '../../time/clock.js';
import type { Random } from '../../time/random.js';
import { ProbeSchedule } from '../probe-schedule.js';
import { WaiterQueue } from '../waiter-queue.js';
import { busyRetryDelay } from './busy-backoff.js';

/** One task's turn at its type: handed out by the gate, given back once. */
export interface TypeTicket {
  /** False once the type turned busy after the ticket was handed out: wait again, unsent. */
  readonly valid: boolean;
  /** A try above the type's learnt cap: its refusal is the platform's cap, not the account. */
  readonly aboveCap: boolean;
  /**
   * The type is held by the platform (a try of a busy type, or a type at a cap): its turn goes
   * to the front of the queue for account threads. A capped type is the run's bottleneck, and a
   * turn that waited behind every other type's tasks would leave its few workers idle meanwhile.
   */
  readonly urgent: boolean;
  /** An account thread is granted and the submit goes now (accepted and refused imply it). */
  sent(): void;
  /** in.php accepted the task. */
  accepted(): void;
  /** The platform refused it (no worker for the type): the gate learns from it. */
  refused(): void;
  /** The task ended, or gives its turn back unsent or after an account refusal. */
  release(): void;
}

/** A type the platform refuses: all its workers busy (backing off), or held below the account. */
export interface TypeBusyInfo {
  type: string;
  /** 'busy': every submit refused for now; 'capped': the platform takes only `cap` at once. */
  reason: 'busy' | 'capped';
  cap: number | undefined;
  /** When the next try goes ('busy'), from now. */
  retryInMs: number;
  /** How long the type has been refused (0 for 'capped'). */
  busyForMs: number;
  /** Refusals of this busy spell. */
  refusals: number;
}

export interface TypeOpenInfo {
  type: string;
  busyForMs: number;
  refusals: number;
}

export interface TypeGateListener {
  busy(info: TypeBusyInfo): void;
  open(info: TypeOpenInfo): void;
}

/** The state of a type, for progress displays and summaries. */
export interface TypeStatus {
  type: string;
  state: 'open' | 'busy';
  /** When the busy spell began (clock time). */
  busySince: number | undefined;
  /** When its next try goes (clock time). */
  nextTryAt: number | undefined;
  cap: number | undefined;
  waiting: number;
}

type TicketKind = 'normal' | 'probe' | 'cap-probe';

interface BusySpell {
  since: number;
  attempt: number;
  nextAt: number;
}

/** Cap probes: a few completions of the type at its cap, then one submit above it. */
const CAP_PROBES = {
  probeAfterCompletions: 5,
  maxProbeBackoffCompletions: 160,
  maxProbeIntervalMs: 20_000,
  // An accepted probe may be luck (one of ours finished unseen): the next waits its turn.
  climbAtOnce: false,
};

/**
 * The fewest tasks of a type a cap is read at. A refusal with fewer of the type on the service is
 * a burst's onset or its tail, not a platform holding one or two workers for the type: read as a
 * cap it would hold the type to a trickle long after the burst, climbing one probe at a time.
 */
const MIN_CAP = 3;

/**
 * The platform's side of one CAPTCHA type. A refusal right after the type was accepted, with
 * some of its tasks out, reads as a cap: the platform holds that many of the type at once, so the
 * type waits for one of its own tasks to end (and probes one higher now and then). A refusal with
 * no acceptance since the last one reads as "all workers busy": the type then sends one try at a
 * time on the vendor's backoff, the rest of its tasks wait in order, and the first acceptance
 * opens it for all. Other types never wait here.
 */
export class TypeGate {
  private out = 0;
  private onService = 0;
  private cap: number | undefined;
  /** The cap before the latest refusal set it; restored if that refusal began a busy spell. */
  private capBefore: number | undefined;
  private capFresh = false;
  private acceptedSinceRefusal = true;
  private spell: BusySpell | undefined;
  /**
   * After a busy spell, how many of the type may be out at once: two more per acceptance, so the
   * waiters go out in round trips that double (slow start), not all at once into a platform that
   * may have only just found a few workers. Dropped once every waiter has gone or at a refusal.
   */
  private window: number | undefined;
  private refusals = 0;
  private probeOut = false;
  private capProbeOut = false;
  /** A refusal of the type waits for its verdict (account or platform): no new submits meanwhile. */
  private held = false;
  private epoch = 0;
  /** Turns handed out, in order; those still on their way to an answer. */
  private nextSeq = 0;
  private readonly sending = new Set<number>();
  /** Refusals of turns handed out before this were sent before the latest refusal was heard. */
  private heardBefore = 0;
  private readonly capProbes: ProbeSchedule;
  private readonly waiters = new WaiterQueue<TypeTicket>();
  private timer: AbortController | undefined;

  constructor(
    readonly type: string,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly listener: TypeGateListener,
  ) {
    this.capProbes = new ProbeSchedule(clock, CAP_PROBES);
  }

  get busy(): boolean {
    return this.spell !== undefined;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /**
   * The platform holds the type at a learnt cap and tasks of it wait for a worker: its workers
   * are the bottleneck, so a task of it that has finished unseen keeps a waiting one off the
   * platform until a poll sees it.
   */
  get starved(): boolean {
    return this.cap !== undefined && this.waiters.size > 0;
  }

  status(): TypeStatus {
    return {
      type: this.type,
      state: this.spell ? 'busy' : 'open',
      busySince: this.spell?.since,
      nextTryAt: this.spell?.nextAt,
      cap: this.cap,
      waiting: this.waiters.size,
    };
  }

  /** Waits for the type's turn; `front` keeps the place of a task just refused. */
  admit(signal?: AbortSignal, front = false): Promise<TypeTicket> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.waiters.size === 0) {
      const kind = this.admissible();
      if (kind) return Promise.resolve(this.grant(kind));
    }
    const waiting = this.waiters.enqueue(signal, front);
    this.arm();
    return waiting;
  }

  /**
   * Holds the type's submits while a refusal of it waits for its verdict: turns handed out and not
   * yet sent go stale, so the next thread goes to another type, whose answer tells the cause.
   */
  hold(): void {
    this.held = true;
    this.epoch++;
  }

  /** The verdict is in: the type's submits go on (after a refusal's own bookkeeping, if any). */
  unhold(): void {
    if (!this.held) return;
    this.held = false;
    this.pump();
  }

  get holding(): boolean {
    return this.held;
  }

  /** Whether a task waits here that would be let through now. */
  get canSend(): boolean {
    return this.waiters.size > 0 && this.admissible() === 'normal';
  }

  close(): void {
    this.disarm();
    this.waiters.rejectAll(new AbortError(new Error('Solver closed')));
  }

  private admissible(): TicketKind | undefined {
    if (this.held) return undefined;
    if (this.window !== undefined && this.out >= this.window) return undefined;
    if (this.spell)
      return !this.probeOut && this.clock.now() >= this.spell.nextAt ? 'probe' : undefined;
    if (this.cap !== undefined && this.out >= this.cap) {
      return !this.capProbeOut && this.capProbes.due() ? 'cap-probe' : undefined;
    }
    return 'normal';
  }

  private grant(kind: TicketKind): TypeTicket {
    this.out++;
    if (kind === 'probe') this.probeOut = true;
    if (kind === 'cap-probe') {
      this.capProbeOut = true;
      this.capProbes.sent();
    }
    const epoch = this.epoch;
    // Numbered when it goes to the service, not when granted: a turn may wait a while for an
    // account thread, and until it goes it is not on its way ahead of anything.
    let seq = -1;
    const current = (): boolean => kind !== 'normal' || epoch === this.epoch;
    let state: 'granted' | 'sending' | 'on-service' | 'done' = 'granted';
    const send = (): void => {
      if (state !== 'granted') return;
      state = 'sending';
      seq = this.nextSeq++;
      this.sending.add(seq);
    };
    const end = (): boolean => {
      if (state === 'done') return false;
      this.out--;
      if (state === 'on-service') this.onService--;
      else {
        this.sending.delete(seq);
        this.abandon(kind);
      }
      state = 'done';
      return true;
    };
    return {
      get valid() {
        return current();
      },
      aboveCap: kind === 'cap-probe',
      urgent: kind !== 'normal' || this.cap !== undefined,
      sent: send,
      accepted: () => {
        send();
        if (state !== 'sending') return;
        state = 'on-service';
        this.sending.delete(seq);
        this.onAccepted(kind);
      },
      refused: () => {
        send();
        if (state !== 'sending') return;
        state = 'done';
        this.out--;
        this.sending.delete(seq);
        this.onRefused(kind, seq);
      },
      release: () => {
        const wasHeld = state === 'on-service';
        if (!end()) return;
        if (
          wasHeld &&
          this.cap !== undefined &&
          this.out + 1 >= this.cap &&
          this.waiters.size > 0
        ) {
          this.capProbes.completedAtLimit();
        }
        this.pump();
      },
    };
  }

  private abandon(kind: TicketKind): void {
    if (kind === 'probe') this.probeOut = false;
    if (kind === 'cap-probe') {
      this.capProbeOut = false;
      this.capProbes.abandoned();
    }
  }

  private onAccepted(kind: TicketKind): void {
    this.onService++;
    this.acceptedSinceRefusal = true;
    this.capFresh = false;
    if (kind === 'probe') this.probeOut = false;
    // The accepted submit stays out and two more may go: those on their way double each round trip.
    if (this.window !== undefined) this.window += 2;
    if (kind === 'cap-probe') {
      this.capProbeOut = false;
      this.capProbes.accepted(this.cap ?? this.out);
      if (this.cap !== undefined) this.cap++;
    }
    if (this.spell) {
      // Accepted: the type has workers again, for every task of it that waits.
      const busyForMs = this.clock.now() - this.spell.since;
      this.spell = undefined;
      this.window = this.onService + 1;
      this.disarm();
      this.listener.open({ type: this.type, busyForMs, refusals: this.refusals });
      this.refusals = 0;
    }
    this.pump();
  }

  private onRefused(kind: TicketKind, seq: number): void {
    this.refusals++;
    if (kind === 'probe') this.probeOut = false;
    if (kind === 'cap-probe') {
      // Told on every path below: a probe left outstanding in the schedule would stop the cap
      // from ever being probed again.
      this.capProbeOut = false;
      this.capProbes.rejected(this.cap ?? this.onService);
    }
    const now = this.clock.now();
    // Sent before the latest refusal was heard (a cold start's burst): it met the same state of
    // the platform and tells nothing new; read as "again", it would turn a cap into a busy spell.
    if (seq < this.heardBefore && !this.spell) {
      this.pump();
      return;
    }
    this.heardBefore = this.nextSeq;
    this.window = undefined;
    const held = this.onService + this.sentBefore(seq);
    if (this.spell) {
      this.spell.attempt++;
      this.scheduleTry(now);
    } else if (kind === 'cap-probe') {
      // Above the cap and refused: the cap stands.
    } else if (
      held >= MIN_CAP &&
      (this.acceptedSinceRefusal || this.cap !== undefined) &&
      !(this.cap !== undefined && held * 2 < this.cap)
    ) {
      // Taken up to here a moment ago, or refused again while some of it is on the service: the
      // platform holds this many of the type, counting those sent before this one and not yet
      // answered (they reached it first). A cap read too high (a probe accepted while one of ours
      // had finished unseen) comes down this way, one refusal at a time.
      this.capBefore = this.cap;
      this.cap = Math.min(this.cap ?? Number.POSITIVE_INFINITY, held);
      this.capFresh = true;
      // Turns handed out above the new cap would each meet the same refusal: all go back, in order.
      if (this.out > this.cap) this.epoch++;
      this.listener.busy({
        type: this.type,
        reason: 'capped',
        cap: this.cap,
        retryInMs: 0,
        busyForMs: 0,
        refusals: this.refusals,
      });
    } else {
      // Refused with none of it on the service and nothing accepted in between: its workers are
      // all busy, whatever we hold. A cap read on the way here was the spell's onset, not a cap.
      this.cap = undefined;
      this.capFresh = false;
      this.epoch++;
      this.spell = { since: now, attempt: 0, nextAt: now };
      this.scheduleTry(now);
    }
    this.acceptedSinceRefusal = false;
    this.pump();
  }

  private sentBefore(seq: number): number {
    let earlier = 0;
    for (const other of this.sending) if (other < seq) earlier++;
    return earlier;
  }

  private scheduleTry(now: number): void {
    const spell = this.spell as BusySpell;
    const busyForMs = now - spell.since;
    const delay = busyRetryDelay(spell.attempt, busyForMs, this.random);
    spell.nextAt = now + delay;
    this.listener.busy({
      type: this.type,
      reason: 'busy',
      cap: this.cap,
      retryInMs: delay,
      busyForMs,
      refusals: this.refusals,
    });
    this.disarm();
    this.arm();
  }

  private pump(): void {
    for (let kind = this.admissible(); kind && this.waiters.size > 0; kind = this.admissible()) {
      this.waiters.shift()?.resolve(this.grant(kind));
    }
    if (this.waiters.size === 0) this.window = undefined;
    this.arm();
  }

  /** One timer for the next try of a busy type, only while a task waits for it. */
  private arm(): void {
    const spell = this.spell;
    if (!spell || this.timer || this.probeOut || this.waiters.size === 0) return;
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(Math.max(0, spell.nextAt - this.clock.now()), timer.signal).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        this.pump();
      },
      () => undefined,
    );
  }

  private disarm(): void {
    this.timer?.abort(CANCELLED);
    this.timer = undefined;
  }
}
