/**
 * How many tasks parked behind a busy CAPTCHA type may be taken in beyond the usual intake: with
 * a type refused for minutes, other types keep the account's threads busy that long, while the
 * parked tasks (held in memory) stay bounded.
 */
export function parkedAllowance(limit: number): number {
  return 20 * limit + 1000;
}
