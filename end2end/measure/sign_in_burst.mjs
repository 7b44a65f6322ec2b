// A burst of parallel sign-ins (unknown addresses, so each is hashed against the decoy) while a
// second client loads the sign-in page every 20 ms; prints how the burst was answered and the
// page's latency during it. Usage: node sign_in_burst.mjs <base-url> [attempts]
const base = process.argv[2];
const attempts = Number(process.argv[3] ?? 400);
if (!base) throw new Error('usage: node sign_in_burst.mjs <base-url> [attempts]');

const statuses = new Map();
let burstDone = false;
const pageTimes = [];

async function pageLoads() {
  while (!burstDone) {
    const start = performance.now();
    const res = await fetch(`${base}/signin`);
    await res.text();
    pageTimes.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function signIn(i) {
  const res = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    headers: { Origin: base, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: `burst${i}@example.com`, password: 'not the password at all' }),
  });
  await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
}

const started = performance.now();
const loads = pageLoads();
await Promise.all(Array.from({ length: attempts }, (_, i) => signIn(i)));
const took = performance.now() - started;
burstDone = true;
await loads;

const sorted = [...pageTimes].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const answered = [...statuses.entries()].sort().map(([s, n]) => `${n}× ${s}`).join(', ');
console.log(`${attempts} parallel sign-ins answered in ${(took / 1000).toFixed(1)} s: ${answered}`);
console.log(
  `sign-in page during the burst (${sorted.length} loads): p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
);
