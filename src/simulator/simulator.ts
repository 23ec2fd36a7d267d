import { ConfigError } from '../errors/config-error.js';
import { systemClock, type Clock } from '../time/clock.js';
import { seededRandom, type Random } from '../time/random.js';
import type { ApiRequest, ApiResponse, Transport } from '../transport/types.js';
import { Account } from './account.js';
import { expectedAnswer } from './answers.js';
import { planFault, withFaults, type Served } from './faults.js';
import { route } from './gate.js';
import { InProcessTransport } from './in-process-transport.js';
import type {
  AccountInit,
  PlatformType,
  ResolvedSimulatorOptions,
  SimulatorOptions,
  SolveCategory,
} from './options.js';
import { Pingbacks } from './pingback.js';
import { Platform } from './platform.js';
import { Reply } from './reply.js';
import { resolveSimulatorOptions } from './resolve-options.js';
import type { HandleContext, Service } from './service.js';
import { meanSolveMs } from './solve-time.js';
import { maskKey, type PlatformStats, type SimulatorStats } from './stats.js';
import { TaskStore } from './task-store.js';
import { IpGuard } from './throttle.js';

export type { HandleContext, Served };

export interface SimulatorDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default seededRandom(options.seed) */
  random?: Random;
}

/** A task as the service sees it (inspectTask). */
export interface TaskInfo {
  id: string;
  /** The owner's key, masked. */
  key: string;
  createdAt: number;
  /** Completion time: solved (or declared unsolvable) once the clock reaches it. */
  doneAt: number;
  outcome: 'solved' | 'unsolvable';
  finished: boolean;
  collected: boolean;
  slotHeld: boolean;
  polls: number;
}

/**
 * An offline CaptchaAI / 2captcha service: accounts with thread limits, solve times drawn from a
 * seeded random, answers derived from the task, bans, rate limits and transport faults, all on
 * an injected clock (a ManualClock makes every run exact and instant).
 */
export class Simulator {
  readonly options: ResolvedSimulatorOptions;
  readonly clock: Clock;
  /** Clock time at construction; throttle windows are relative to it. */
  readonly startedAt: number;
  /** The account made from `options.defaultAccount` ('' when there is none). */
  readonly defaultKey: string;
  private readonly random: Random;
  private readonly faultRandom: Random;
  private readonly accounts = new Map<string, Account>();
  private readonly store: TaskStore;
  private readonly ipGuard: IpGuard;
  private readonly service: Service;
  private readonly pingbacks: Pingbacks;
  private readonly platform: Platform;
  private lastId: number;

  constructor(options: Partial<SimulatorOptions> = {}, deps: SimulatorDeps = {}) {
    this.options = resolveSimulatorOptions(options);
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? seededRandom(this.options.seed);
    // A separate stream for faults, so turning faults on does not change solve times.
    this.faultRandom = seededRandom(Math.floor(this.random() * 2 ** 32));
    this.startedAt = this.clock.now();
    this.lastId = 2_000_000_000 + Math.floor(this.random() * 1_000_000_000);
    this.store = new TaskStore(this.options);
    this.ipGuard = new IpGuard(this.options);
    this.pingbacks = new Pingbacks(this.clock, this.store, this.options);
    // Its bursts draw from streams of its own: this.random's draw order stays as it was.
    this.platform = new Platform(this.options, this.startedAt);
    this.service = {
      options: this.options,
      clock: this.clock,
      random: this.random,
      store: this.store,
      platform: this.platform,
      nextTaskId: () => ++this.lastId,
      schedulePingback: (task, url) => this.pingbacks.schedule(task, url),
    };
    const init = this.options.defaultAccount;
    this.defaultKey = init ? this.addAccount(init) : '';
  }

  /** Creates an account; returns its key (a 32-char key; generated from the seeded random if not given). */
  addAccount(account: AccountInit): string {
    const key = account.key ?? this.randomKey();
    if (key.length !== 32)
      throw new ConfigError('key', `an API key has 32 characters, got ${key.length}`);
    if (this.accounts.has(key))
      throw new ConfigError('key', `account ${maskKey(key)} already exists`);
    checkThreads(account.threads);
    this.accounts.set(
      key,
      new Account(
        key,
        account.threads,
        account.balance ?? 10,
        this.options,
        this.startedAt,
        this.platform,
      ),
    );
    return key;
  }

  /** A plan change mid-run: tasks already in flight keep their slots. */
  setThreads(key: string, threads: number): void {
    checkThreads(threads);
    this.account(key).threads = threads;
  }

  /** Tasks held in memory (in flight or within retention). */
  get liveTasks(): number {
    this.store.pump(this.clock.now());
    return this.store.size;
  }

  /** The clean service: no transport faults. Never throws for anything a client sends. */
  async handle(request: ApiRequest, context: HandleContext = {}): Promise<ApiResponse> {
    const now = this.clock.now();
    this.store.pump(now);
    const reply = new Reply(request.params, now + this.service.options.clockSkewMs);
    const account = this.accounts.get(request.params.key ?? '');
    if (account) {
      account.counters.requests++;
      account.byEndpoint[request.endpoint]++;
    }
    const response = await route(
      this.service,
      this.ipGuard,
      this.startedAt,
      request,
      context,
      account,
      reply,
      now,
    );
    if (account) for (const code of reply.codes) account.count(code);
    return response;
  }

  /** handle() with the configured faults; used by the HTTP server and `transport()`. */
  async serve(
    request: ApiRequest,
    context: HandleContext = {},
    signal?: AbortSignal,
  ): Promise<Served> {
    const plan = planFault(this.options.faults, this.faultRandom);
    const counts = this.accounts.get(request.params.key ?? '')?.faults;
    return withFaults(plan, counts, () => this.handle(request, context), this.clock, signal);
  }

  /** In-process transport: calls handle() directly and applies the injected faults (throwing NetworkError for resets). */
  transport(options: { ip?: string } = {}): Transport {
    return new InProcessTransport(this, options.ip ?? '127.0.0.1');
  }

  /** One account's counters; without a key, the default account's. */
  stats(key?: string): SimulatorStats {
    const now = this.clock.now();
    this.store.pump(now);
    return this.account(key ?? this.defaultKey).snapshot(now);
  }

  /** Every account's counters, by masked key (for `/__sim/stats`). */
  allStats(): Record<string, SimulatorStats> {
    const now = this.clock.now();
    this.store.pump(now);
    const out: Record<string, SimulatorStats> = {};
    for (const account of this.accounts.values()) {
      let label = maskKey(account.key);
      for (let n = 2; label in out; n++) label = `${maskKey(account.key)}#${n}`;
      out[label] = account.snapshot(now);
    }
    return out;
  }

  /**
   * The answer (the JSON `request` value) the simulator gives for these task parameters, so a
   * test can verify an answer from the task itself. For `method=post`, pass the file's bytes
   * (or put them base64-encoded in `body`). Throws with the validation code for a bad task.
   */
  expectedAnswer(
    params: Record<string, string>,
    file?: Uint8Array,
  ): string | Record<string, unknown> {
    return expectedAnswer(params, file, this.options);
  }

  /** A task's hidden state (for tests and benchmarks); undefined when unknown or expired. */
  inspectTask(id: string | number): TaskInfo | undefined {
    this.store.pump(this.clock.now());
    const task = this.store.get(Number(id));
    if (!task) return undefined;
    return {
      id: String(task.id),
      key: maskKey(task.account.key),
      createdAt: task.createdAt,
      doneAt: task.doneAt,
      outcome: task.answer ? 'solved' : 'unsolvable',
      finished: task.finished,
      collected: task.collected,
      slotHeld: task.slotHeld,
      polls: task.polls,
    };
  }

  /** Mean solve time (ms, after timeScale) of a category: the T_occ in a benchmark's bound. */
  meanSolveMs(category: SolveCategory): number | undefined {
    return meanSolveMs(category, this.options);
  }

  /**
   * Most of our tasks of `type` the platform takes at once at `atMs` (simulator time since
   * construction, the scale of outage windows): Infinity when unconstrained. Benchmarks compute
   * their bound from it.
   */
  platformCapacity(type: PlatformType, atMs: number): number {
    return this.platform.capacity(type, atMs);
  }

  /**
   * The platform now, over every account: per type the tasks holding its workers and its
   * capacity at this moment, and the day curve's UTC hour (for `/__sim/stats`).
   */
  platformStats(): PlatformStats {
    const now = this.clock.now();
    this.store.pump(now);
    return this.platform.snapshot(now - this.startedAt);
  }

  /** Cancels pending pingbacks. The service itself holds no timers. */
  close(): void {
    this.pingbacks.close();
  }

  private account(key: string): Account {
    const account = this.accounts.get(key);
    if (!account)
      throw new ConfigError('key', `no account ${key ? maskKey(key) : '(no default account)'}`);
    return account;
  }

  /** 32 hex characters from the seeded random, so a seed reproduces its keys. */
  private randomKey(): string {
    let key = '';
    while (key.length < 32)
      key += Math.floor(this.random() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return key;
  }
}

function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 0) {
    throw new ConfigError('threads', `threads must be an integer >= 0, got ${threads}`);
  }
}
