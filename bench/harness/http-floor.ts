// The CPU floor of the requests themselves: a bare undici Pool sending `requests` GETs (a
// balance query, the lightest answer) to the simulator in its own process, over the same
// loopback and with as many sockets as the scale run. What any client spends per request before
// doing anything of its own: `node --import tsx bench/harness/http-floor.ts [requests]`. Prints
// `{"requests":N,"cpuMsPer1kRequests":X}` as the last line of stdout.
import { Pool } from 'undici';
import { startSimProcess } from './sim-process.js';

const requests = Number(process.argv[2] ?? 11_000);
const CONNECTIONS = 256;
const sim = await startSimProcess({
  options: { defaultAccount: { threads: 5000 } },
  speedup: 1,
  threadChanges: [],
  sampleMs: 60_000,
});
const pool = new Pool(sim.url, { connections: CONNECTIONS });
const path = `/res.php?key=${encodeURIComponent(sim.key)}&action=getbalance&json=1`;
let sent = 0;
const cpu0 = process.cpuUsage();
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (sent < requests) {
      sent++;
      const response = await pool.request({ path, method: 'GET' });
      await response.body.text();
    }
  }),
);
const cpu = process.cpuUsage(cpu0);
await pool.close();
await sim.stop();
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `${JSON.stringify({ requests, cpuMsPer1kRequests: cpuMs / (requests / 1000) })}\n`,
);
