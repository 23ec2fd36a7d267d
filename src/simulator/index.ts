export { Simulator, type HandleContext, type Served, type SimulatorDeps } from './simulator.js';
export { DEFAULT_SIMULATOR_OPTIONS, resolveSimulatorOptions } from './resolve-options.js';
export type {
  AccountInit,
  BanRule,
  BanRules,
  FaultOptions,
  LogNormalSpec,
  PingbackPayload,
  PlatformBursts,
  PlatformDayCurve,
  PlatformOptions,
  PlatformOutage,
  PlatformType,
  PingbackSender,
  ResolvedSimulatorOptions,
  SimulatorOptions,
  SimulatorProfile,
  SolveCategory,
  SolveTimeDistribution,
  SolveTimeFunction,
  ThrottleWindow,
} from './options.js';
export {
  maskKey,
  statsToJson,
  type FaultCounts,
  type PlatformStats,
  type SimulatorStats,
  type TypeStats,
} from './stats.js';
export { PLATFORM_TYPES, platformTypeOf } from './platform-type.js';
export { DEFAULT_HOUR_FACTORS } from './day-curve.js';
export {
  startSimulatorServer,
  type SimulatorServer,
  type SimulatorServerOptions,
} from './server.js';
export { httpPingbackSender } from './pingback.js';
export { WORKER_USER_AGENT } from './answers.js';
