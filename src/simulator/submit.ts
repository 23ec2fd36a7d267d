import type { ApiResponse } from '../transport/types.js';
import type { Account } from './account.js';
import { answerFor, hashHex } from './answers.js';
import type { BanRule } from './options.js';
import type { Call } from './service.js';
import { sampleSolveMs } from './solve-time.js';
import { isImageMethod, parseTask, type TaskSpec } from './task-spec.js';
import type { TaskRecord } from './task-store.js';
import type { WindowCounter } from './window-counter.js';

/** Parameters that do not make two submits different tasks. */
const NOT_PART_OF_TASK = new Set(['key', 'json', 'pingback', 'header_acao', 'soft_id']);

/** 96 bits of the task's identity: method, parameters and uploaded bytes. */
function fingerprint(call: Call): string {
  const entries = Object.entries(call.params)
    .filter(([k]) => !NOT_PART_OF_TASK.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return hashHex(JSON.stringify(entries), call.file?.data).slice(0, 24);
}

/**
 * Counts an event towards a 2captcha ban rule; on the event that exceeds it, blocks in.php for
 * `rule.banMs` and returns the ban code to answer instead.
 */
function tripped(
  account: Account,
  window: WindowCounter,
  rule: BanRule,
  code: string,
  now: number,
): string | undefined {
  if (window.hit(now) <= rule.count) return undefined;
  account.submitBlock = { until: now + rule.banMs, code };
  window.clear();
  return code;
}

/**
 * The refusal of a submit with no free slot (and the 2captcha bans it can trip). A platform
 * refusal counts towards the bans like any other: the ban counts the answers the account got.
 */
function capacityRejection(call: Call, code: string, cause?: 'platform'): ApiResponse {
  const { account, service, reply, now } = call;
  account.counters.capacityRejections++;
  if (cause === 'platform') account.counters.platformRejections++;
  if (service.options.enforceBans) {
    const rules = service.options.banRules;
    const ban =
      code === 'ERROR_NO_SLOT_AVAILABLE'
        ? tripped(account, account.noSlotWindow, rules.noSlot, 'ERROR: 1001', now)
        : tripped(account, account.zeroBalanceWindow, rules.zeroBalance, 'ERROR: 1002', now);
    if (ban) return reply.error(ban);
  }
  return reply.error(code);
}

/**
 * Runs a submit up to acceptance: plan and ban checks, validation, money, then a free slot of
 * the account's, then a free worker of the platform's for the type (the second cause of capacity
 * refusals: the account has threads left, the platform has no one to solve this type). Returns
 * the new task, or the refusal to send.
 */
export function acceptTask(call: Call): { task: TaskRecord } | { response: ApiResponse } {
  const { account, service, reply, now } = call;
  const o = service.options;
  if (account.threads === 0 && o.profile === 'captchaai') {
    // Newer docs: "Your Account Has No Threads" is ERROR_KEY_DOES_NOT_EXIST.
    return { response: reply.error('ERROR_KEY_DOES_NOT_EXIST') };
  }
  if (o.enforceBans) {
    const block = account.activeBlock('submitBlock', now);
    if (block) return { response: reply.error(block.code) };
    const turn = tripped(
      account,
      account.submitWindow,
      o.banRules.maxUserTurn,
      'MAX_USER_TURN',
      now,
    );
    if (turn) return { response: reply.error(turn) };
  }
  const parsed = parseTask(call.params, call.file, o);
  if ('error' in parsed) return { response: reply.error(parsed.error) };
  if (o.pricePerSolve > 0 && account.balance < o.pricePerSolve) {
    return { response: capacityRejection(call, 'ERROR_ZERO_BALANCE') };
  }
  const type = parsed.spec.category;
  const counts = account.byType.entry(type);
  if (account.slotsInUse >= account.threads) {
    counts.refusedAccount++;
    return { response: capacityRejection(call, o.capacityCode) };
  }
  if (service.platform.isFull(type, now)) {
    counts.refusedPlatform++;
    return { response: capacityRejection(call, service.platform.refusalCode, 'platform') };
  }
  return { task: createTask(call, parsed.spec) };
}

function createTask(call: Call, spec: TaskSpec): TaskRecord {
  const { account, service, now } = call;
  const o = service.options;
  // Fixed draw order (solve time, then outcome) keeps a seed's runs identical.
  const solveMs = sampleSolveMs(spec.category, o, service.random);
  const unsolvable = service.random() < o.unsolvableRate;
  const task: TaskRecord = {
    id: service.nextTaskId(),
    account,
    type: spec.category,
    createdAt: now,
    doneAt: now + solveMs,
    answer: unsolvable ? undefined : answerFor(spec, o.profile),
    finished: false,
    slotHeld: true,
    collected: false,
    polls: 0,
    eventAt: now + solveMs,
  };
  const print = fingerprint(call);
  if (account.fingerprints.has(print)) account.counters.duplicateSubmits++;
  else account.fingerprints.add(print);
  account.counters.acceptedSubmits++;
  account.firstSubmitAt ??= now;
  account.acquireSlot(now, spec.category);
  service.store.add(task);
  if (call.params.pingback) service.schedulePingback(task, call.params.pingback);
  return task;
}

/** in.php: `OK|id`, or `{"status":1,"request":id}` with the id as a JSON number by default. */
export function handleSubmit(call: Call): ApiResponse {
  const accepted = acceptTask(call);
  if ('response' in accepted) return accepted.response;
  const id = accepted.task.id;
  return call.reply.ok(String(id), call.service.options.jsonIdAsNumber ? id : String(id));
}

/**
 * solve.php (CaptchaAI only): image tasks, answered in one request after the solve time, in the
 * shape of a res.php `get` answer. The slot is held meanwhile, as for any task.
 */
export async function handleSolve(call: Call): Promise<ApiResponse> {
  if (!isImageMethod(call.params.method)) return call.reply.error('ERROR_BAD_PARAMETERS');
  const accepted = acceptTask(call);
  if ('response' in accepted) return accepted.response;
  const { task } = accepted;
  const { clock, store } = call.service;
  await clock.sleep(Math.max(0, task.doneAt - clock.now()));
  store.pump(clock.now());
  store.collect(task, clock.now());
  if (!task.answer) return call.reply.error('ERROR_CAPTCHA_UNSOLVABLE');
  return call.reply.ok(task.answer.text, task.answer.json, task.answer.extras);
}
