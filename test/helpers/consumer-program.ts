/**
 * The source of a consumer program: it solves one task with the installed package against the
 * package's own simulator and prints `{"solution": ...}` (and any `print` fields) on stdout.
 */
export interface ConsumerProgram {
  /** Names imported from 'captchaai' besides Solver (a TypeScript program may import types). */
  imports?: readonly string[];
  /** The task's declared type, for TypeScript (`TurnstileTask`). */
  taskType?: string;
  /** Fields printed besides the solution: name to expression. */
  print?: Readonly<Record<string, string>>;
}

/** Solves in a fraction of a second: solves at 1 %, polls 20 ms apart. */
const SOLVER_SETUP = `const sim = new Simulator({ timeScale: 0.01, unsolvableRate: 0 });
const solver = new Solver({
  key: sim.defaultKey,
  transport: sim.transport(),
  firstPollDelayMs: { token: 20 },
  pollIntervalMs: 20,
});`;

function printed(print: Readonly<Record<string, string>> = {}): string {
  const fields = Object.entries(print).map(([name, expression]) => `, ${name}: ${expression}`);
  return `JSON.stringify({ solution: result.solution${fields.join('')} })`;
}

/** An ES module (or TypeScript) program. */
export function esmConsumer(task: object, options: ConsumerProgram = {}): string {
  const names = ['Solver', ...(options.imports ?? [])].join(', ');
  const type = options.taskType === undefined ? '' : `: ${options.taskType}`;
  return `import { ${names} } from 'captchaai';
import { Simulator } from 'captchaai/simulator';

const task${type} = ${JSON.stringify(task)};
${SOLVER_SETUP}
try {
  const result = await solver.solve(task);
  console.log(${printed(options.print)});
} finally {
  await solver.close();
  sim.close();
}
`;
}

/** A CommonJS program. */
export function cjsConsumer(task: object, options: ConsumerProgram = {}): string {
  const names = ['Solver', ...(options.imports ?? [])].join(', ');
  return `const { ${names} } = require('captchaai');
const { Simulator } = require('captchaai/simulator');
${SOLVER_SETUP}
solver
  .solve(${JSON.stringify(task)})
  .then((result) => console.log(${printed(options.print)}))
  .finally(() => solver.close().then(() => sim.close()));
`;
}
