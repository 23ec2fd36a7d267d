import type { ApiResponse } from '../transport/types.js';
import type { Call } from './service.js';
import type { TaskRecord } from './task-store.js';

const DIGITS = /^\d+$/;

/** One id's state: the task, or the code that stands in for it. */
type Lookup = { task: TaskRecord } | { code: string };

/**
 * Counts a poll of `id`. Unknown, expired and other accounts' ids are ERROR_WRONG_CAPTCHA_ID.
 * With 2captcha bans on, the poll that exceeds the per-task limit blocks res.php.
 */
function pollOne(call: Call, id: string): Lookup {
  const { account, service, now } = call;
  const task = service.store.get(Number(id));
  if (!task || task.account !== account) return { code: 'ERROR_WRONG_CAPTCHA_ID' };
  task.polls++;
  account.pollsByTask.set(id, task.polls);
  const rule = service.options.banRules.pollsPerTask;
  if (service.options.enforceBans && task.polls > rule.max) {
    account.pollBlock = { until: now + rule.banMs, code: 'ERROR: 1005' };
    return { code: 'ERROR: 1005' };
  }
  return { task };
}

/** Marks a finished task's answer as delivered (frees the slot in 'collect' mode). */
function deliver(call: Call, task: TaskRecord): void {
  call.service.store.collect(task, call.now);
}

function getOne(call: Call, id: string | undefined): ApiResponse {
  const { reply } = call;
  call.account.counters.polls++;
  if (id === undefined || !DIGITS.test(id)) return reply.error('ERROR_WRONG_ID_FORMAT');
  const found = pollOne(call, id);
  if ('code' in found) return reply.error(found.code);
  const { task } = found;
  if (!task.finished) return reply.notReady();
  deliver(call, task);
  if (!task.answer) return reply.error('ERROR_CAPTCHA_UNSOLVABLE');
  return reply.ok(task.answer.text, task.answer.json, task.answer.extras);
}

/**
 * `ids=1,2,3` (2captcha): answers in id order, `a|CAPCHA_NOT_READY|c` in text mode and
 * `{"status":1,"request":"a|CAPCHA_NOT_READY|c"}` in JSON mode; unknown ids read
 * ERROR_WRONG_CAPTCHA_ID and unsolvable ones ERROR_CAPTCHA_UNSOLVABLE in their place.
 */
function getMany(call: Call, ids: string): ApiResponse {
  const { reply, account } = call;
  account.counters.polls++;
  account.counters.batchPolls++;
  const list = ids.split(',').map((s) => s.trim());
  if (list.some((id) => !DIGITS.test(id))) return reply.error('ERROR_WRONG_ID_FORMAT');
  if (list.length > call.service.options.batchPollMax) return reply.error('ERROR_BAD_PARAMETERS');
  const items: string[] = [];
  for (const id of list) {
    const found = pollOne(call, id);
    if ('code' in found) {
      if (found.code === 'ERROR: 1005') return reply.error(found.code);
      items.push(found.code);
    } else if (!found.task.finished) {
      items.push('CAPCHA_NOT_READY');
    } else {
      deliver(call, found.task);
      items.push(found.task.answer ? found.task.answer.text : 'ERROR_CAPTCHA_UNSOLVABLE');
    }
  }
  return reply.bare(items.join('|'));
}

function report(call: Call, kind: 'good' | 'bad'): ApiResponse {
  const { reply, account, service } = call;
  const id = call.params.id;
  if (id === undefined || !DIGITS.test(id)) return reply.error('ERROR_WRONG_ID_FORMAT');
  const task = service.store.get(Number(id));
  if (!task || task.account !== account) return reply.error('ERROR_WRONG_CAPTCHA_ID');
  if (kind === 'good') account.counters.reportsGood++;
  else account.counters.reportsBad++;
  // CaptchaAI answers reports with an empty 200 (live-tested adapter); 2captcha confirms.
  return service.options.profile === 'captchaai' ? reply.empty() : reply.bare('OK_REPORT_RECORDED');
}

/**
 * `threadsinfo` (CaptchaAI SDK; shape guessed): text `threads=N,working_threads=W,free_threads=F`,
 * JSON `{"status":1,"request":{"threads":N,"working_threads":W,"free_threads":F}}`.
 */
function threadsInfo(call: Call): ApiResponse {
  const { account, reply } = call;
  if (!call.service.options.threadsInfo) return reply.error('ERROR_BAD_PARAMETERS');
  const info = {
    threads: account.threads,
    working_threads: account.slotsInUse,
    free_threads: account.freeSlots,
  };
  const text = `threads=${info.threads},working_threads=${info.working_threads},free_threads=${info.free_threads}`;
  return reply.bare(text, info);
}

function formatBalance(balance: number): string {
  return String(Math.round(balance * 1e5) / 1e5);
}

/** res.php: get (single or batch), getbalance, reportgood/reportbad, threadsinfo. */
export function handleResult(call: Call): ApiResponse {
  const { reply, account, params, service, now } = call;
  const block = account.activeBlock('pollBlock', now);
  if (service.options.enforceBans && block) return reply.error(block.code);
  switch (params.action) {
    case undefined:
    case '':
      return reply.error('ERROR_EMPTY_ACTION');
    case 'get':
      if (params.ids !== undefined && service.options.batchPoll) return getMany(call, params.ids);
      return getOne(call, params.id);
    case 'getbalance':
      return reply.bare(formatBalance(account.balance));
    case 'reportgood':
      return report(call, 'good');
    case 'reportbad':
      return report(call, 'bad');
    case 'threadsinfo':
      return threadsInfo(call);
    default:
      return reply.error('ERROR_BAD_PARAMETERS');
  }
}
