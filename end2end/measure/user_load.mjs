// Fifty people using Roster at once for a while: each signs up (confirming through the emailed
// link), creates a project, keeps its event stream open, and then loops over what a member does:
// open Projects, the project's Dashboard, Members and Settings pages, read the members list as
// data, invite someone now and then, change a pending invitation's role, and sign out and in
// again (a password hash) every twentieth round. Prints requests, errors by kind and latency.
// Usage: node user_load.mjs <base-url> <mail-dir> [users] [seconds]
import fs from 'node:fs';
import path from 'node:path';

const [base, mailDir] = process.argv.slice(2, 4);
const users = Number(process.argv[4] ?? 50);
const seconds = Number(process.argv[5] ?? 120);
if (!base || !mailDir) throw new Error('usage: user_load.mjs BASE_URL MAIL_DIR [users] [seconds]');
const password = 'correct horse battery staple';
const run = Date.now();

const counts = new Map();
const times = [];
let busy = 0;
/// Pages answered 200 whose head lacks the stylesheet link (leptos_meta renders it through a
/// context that must be there for every concurrent render).
let unstyled = 0;
function record(what, status, ms) {
  if (status === 429 || status === 503) return;
  const key = status >= 400 || status === 0 ? `${what} ${status}` : 'ok';
  counts.set(key, (counts.get(key) ?? 0) + 1);
  if (ms !== undefined) times.push(ms);
}

/// One person's browser: a cookie and same-origin requests.
class Person {
  constructor(i) {
    this.email = `load${i}.${run}@example.com`;
    this.name = `Load ${i}`;
    this.cookie = '';
  }

  async request(what, url, init = {}) {
    const start = performance.now();
    let status = 0;
    let body = '';
    let retryAfter = 0;
    try {
      const res = await fetch(`${base}${url}`, {
        redirect: 'manual',
        ...init,
        headers: { Origin: base, Cookie: this.cookie, ...(init.headers ?? {}) },
      });
      status = res.status;
      retryAfter = Number(res.headers.get('retry-after') ?? 0);
      const set = res.headers.get('set-cookie');
      if (set) this.cookie = set.split(';')[0];
      body = await res.text();
    } catch (e) {
      status = 0;
      body = String(e.cause ?? e);
    }
    record(what, status, performance.now() - start);
    return { status, body, retryAfter };
  }

  /// A server function call; "busy" answers (429/503, the bounded password-hashing queue) are
  /// retried after their Retry-After, as a client should, and counted apart.
  async call(fn, fields) {
    for (;;) {
      const answer = await this.request(fn, `/api/${fn}`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
      if (answer.status !== 429 && answer.status !== 503) return answer;
      busy++;
      await new Promise((r) => setTimeout(r, 1000 * (answer.retryAfter || 1)));
    }
  }

  async page(url) {
    const answer = await this.request(`GET ${url.replace(/\/p\/[^/]+/, '/p/…')}`, url);
    if (answer.status === 200 && !answer.body.includes('/pkg/roster.css')) unstyled++;
    return answer;
  }
}

/// The confirmation link emailed to `to`, once it is there.
async function confirmationToken(to) {
  for (let tries = 0; tries < 600; tries++) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    for (const f of files) {
      const text = fs.readFileSync(path.join(mailDir, f), 'utf8').replace(/=\r?\n/g, '');
      if (!text.includes(`To: ${to}`) && !text.includes(`<${to}>`)) continue;
      const match = text.match(/\/confirm\/([A-Za-z0-9_-]+)/);
      if (match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation email for ${to}`);
}

/// Holds the project's event stream open until the run ends, reading what arrives.
async function listen(person, slug, until) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), until - Date.now());
  try {
    const res = await fetch(`${base}/events/p/${slug}`, {
      headers: { Cookie: person.cookie, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    record('events', res.status);
    for await (const _ of res.body) {
      // Each chunk is an event or a heartbeat; only the connection matters here.
    }
  } catch {
    // Aborted at the end of the run.
  }
}

async function user(i, until) {
  // People arrive over a few seconds, not in the same millisecond.
  await new Promise((r) => setTimeout(r, i * 50));
  const p = new Person(i);
  const up = await p.call('sign_up', { name: p.name, email: p.email, password });
  if (up.status !== 200) throw new Error(`sign-up ${p.email}: ${up.status} ${up.body}`);
  await p.call('confirm_email', { token: await confirmationToken(p.email), password });
  const made = await p.call('create_project', { name: `Load project ${i}`, slug: '' });
  if (made.status !== 200) throw new Error(`create_project: ${made.status} ${made.body}`);
  const slug = (await p.call('projects', {})).body.match(/"slug":"(load-project-[0-9-]+)"/)?.[1];
  if (!slug) throw new Error(`no project for ${p.email}`);
  const stream = listen(p, slug, until);

  let round = 0;
  let invited = 0;
  while (Date.now() < until) {
    round++;
    await p.page('/projects');
    await p.page(`/p/${slug}`);
    await p.page(`/p/${slug}/members`);
    const members = JSON.parse((await p.call('members', { slug })).body || '{}');
    await p.page(`/p/${slug}/settings`);
    if (round % 5 === 0 && invited < 20) {
      invited++;
      await p.call('invite', { slug, emails: `guest${invited}.${i}.${run}@example.com`, role: 'member' });
    }
    const pending = members.pending?.[0];
    if (pending) {
      const role = round % 2 ? 'developer' : 'member';
      await p.call('change_invitation_role', { slug, invitation_id: pending.id, role });
    }
    if (round % 20 === 0) {
      await p.call('sign_out', {});
      await p.call('sign_in', { email: p.email, password });
    }
  }
  await stream;
}

const ready = Date.now();
const until = ready + seconds * 1000;
const started = performance.now();
await Promise.all(Array.from({ length: users }, (_, i) => user(i, until)));
const took = (performance.now() - started) / 1000;

const sorted = [...times].sort((a, b) => a - b);
const pct = (q) => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))];
const total = [...counts.values()].reduce((a, b) => a + b, 0);
const errors = [...counts.entries()].filter(([k]) => k !== 'ok');
console.log(`${users} users for ${took.toFixed(0)} s: ${total} requests (${(total / took).toFixed(0)}/s)`);
console.log(`latency: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
console.log(errors.length ? `errors: ${errors.map(([k, n]) => `${n}× ${k}`).join(', ')}` : 'errors: none');
console.log(`"busy, retry later" answers (429/503, retried after Retry-After): ${busy}`);
console.log(`pages without their stylesheet link: ${unstyled}`);
