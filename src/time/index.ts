export { systemClock, throwIfAborted, type Clock } from './clock.js';
export { ManualClock, flushMicrotasks } from './manual-clock.js';
export { scaledClock } from './scaled-clock.js';
export { seededRandom, systemRandom, type Random } from './random.js';
