import type { ApiEndpoint } from '../errors/api-error.js';
import type { PlatformType, ResolvedSimulatorOptions } from './options.js';
import type { Platform } from './platform.js';
import { maskKey, type FaultCounts, type SimulatorStats } from './stats.js';
import { TokenBucket } from './token-bucket.js';
import { TypeLedger } from './type-ledger.js';
import { WindowCounter } from './window-counter.js';

/** A temporary block: until when, and which code it answers. */
export interface Block {
  until: number;
  code: string;
}

/**
 * One API key: its plan (threads, balance), its slots and its counters. Slot times are kept
 * relative to the simulator's start so the running sums stay exact for long runs.
 */
export class Account {
  threads: number;
  balance: number;
  slotsInUse = 0;
  maxSlotsInUse = 0;
  private heldSinceSum = 0;
  private releasedSlotMs = 0;

  readonly counters = {
    requests: 0,
    acceptedSubmits: 0,
    capacityRejections: 0,
    platformRejections: 0,
    http429: 0,
    polls: 0,
    batchPolls: 0,
    duplicateSubmits: 0,
    billedSolves: 0,
    unsolvable: 0,
    collected: 0,
    solveMsTotal: 0,
    reportsGood: 0,
    reportsBad: 0,
  };
  readonly byEndpoint: Record<ApiEndpoint, number> = { 'in.php': 0, 'res.php': 0, 'solve.php': 0 };
  readonly codes = new Map<string, number>();
  readonly faults: FaultCounts = {
    html502: 0,
    resetBefore: 0,
    resetAfter: 0,
    truncatedJson: 0,
    slow: 0,
  };
  readonly pollsByTask = new Map<string, number>();
  /** Per CAPTCHA type: submits by outcome and slots held. */
  readonly byType: TypeLedger;
  /** Fingerprints of accepted tasks, to count resubmits of the same task. */
  readonly fingerprints = new Set<string>();
  firstSubmitAt: number | null = null;
  lastFinishAt: number | null = null;

  /** 2captcha bans: on in.php (MAX_USER_TURN, 1001, 1002) and on res.php (1005). */
  submitBlock: Block | undefined;
  pollBlock: Block | undefined;
  readonly submitWindow: WindowCounter;
  readonly noSlotWindow: WindowCounter;
  readonly zeroBalanceWindow: WindowCounter;
  readonly bucket: TokenBucket | undefined;

  constructor(
    readonly key: string,
    threads: number,
    balance: number,
    options: ResolvedSimulatorOptions,
    private readonly origin: number,
    private readonly platform?: Platform,
  ) {
    this.byType = new TypeLedger(origin);
    this.threads = threads;
    this.balance = balance;
    const r = options.banRules;
    this.submitWindow = new WindowCounter(r.maxUserTurn.windowMs, r.maxUserTurn.count);
    this.noSlotWindow = new WindowCounter(r.noSlot.windowMs, r.noSlot.count);
    this.zeroBalanceWindow = new WindowCounter(r.zeroBalance.windowMs, r.zeroBalance.count);
    if (options.requestsPerSecond !== null) {
      this.bucket = new TokenBucket(
        options.requestsPerSecond,
        options.rateBurst ?? Math.max(1, options.requestsPerSecond),
        origin,
      );
    }
  }

  get freeSlots(): number {
    return Math.max(0, this.threads - this.slotsInUse);
  }

  /** A task of `type` takes a slot: the account's, its type's, and one of the platform's workers. */
  acquireSlot(now: number, type: PlatformType): void {
    this.byType.acquire(type, now);
    this.platform?.acquire(type);
    this.slotsInUse++;
    this.heldSinceSum += now - this.origin;
    if (this.slotsInUse > this.maxSlotsInUse) this.maxSlotsInUse = this.slotsInUse;
  }

  releaseSlot(heldSince: number, at: number, type: PlatformType): void {
    this.byType.release(type, heldSince, at);
    this.platform?.release(type);
    this.slotsInUse--;
    this.heldSinceSum -= heldSince - this.origin;
    this.releasedSlotMs += at - heldSince;
  }

  slotMs(now: number): number {
    return this.releasedSlotMs + this.slotsInUse * (now - this.origin) - this.heldSinceSum;
  }

  count(code: string): void {
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }

  /** The block in force at `now`, dropping an expired one. */
  activeBlock(which: 'submitBlock' | 'pollBlock', now: number): Block | undefined {
    const block = this[which];
    if (block && now >= block.until) this[which] = undefined;
    return this[which];
  }

  snapshot(now: number): SimulatorStats {
    return {
      key: maskKey(this.key),
      threads: this.threads,
      balance: this.balance,
      ...this.counters,
      requestsByEndpoint: { ...this.byEndpoint },
      pollsByTask: this.pollsByTask,
      slotsInUse: this.slotsInUse,
      maxSlotsInUse: this.maxSlotsInUse,
      slotMs: this.slotMs(now),
      codes: Object.fromEntries(this.codes),
      faults: { ...this.faults },
      firstSubmitAt: this.firstSubmitAt,
      lastFinishAt: this.lastFinishAt,
      byType: this.byType.snapshot(now),
    };
  }
}
