// 500 agents on live pages (issue 15 §8): N agent accounts each signed in through the sign-in page and connected to the
// floor hub over a WebSocket with their own cookie (as the dialer and wallboard pages connect), then a manager changes
// presence K times; every connection should receive each change. Prints JSON: connect time, app memory (RSS) before
// and after connecting, and the delivery latency of every change to every connection (send → receive, one clock).
// With K = 0 and STOP_FILE (bench/soak): the N connections stay open, pinging, until STOP_FILE exists; then it prints
// how many are still open and how many live events they received meanwhile (what the soak's other load caused).
// It writes STOP_FILE.live-ready once every connection is up.
// Usage: node agents.js BASE APP_PID SUPERADMIN_EMAIL PASSWORD TENANT_ID MANAGER_TOKEN N K [STOP_FILE]
const path = require('path');
const WebSocket = require(path.join(__dirname, '../../src/Switchboard/node_modules/ws'));
const fs = require('fs');
const [base, appPid, rootEmail, password, tenantId, managerToken, nText, kText, stopFile] = process.argv.slice(2);
const N = Number(nText), K = Number(kText);
const RS = '\x1e';
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${appPid}/status`, 'utf8'))[1]) * 1024;
const now = () => Number(process.hrtime.bigint()) / 1e6;

function cookieHeader(jar) { return Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; '); }
function keep(jar, response) {
  for (const c of response.headers.getSetCookie()) { const [pair] = c.split(';'); const i = pair.indexOf('='); jar[pair.slice(0, i)] = pair.slice(i + 1); }
}
async function api(method, url, token, body) {
  const r = await fetch(base + url, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}
async function signInPage(email) {
  const jar = {};
  const form = await fetch(base + '/signin', { redirect: 'manual' });
  keep(jar, form);
  const token = /name="__RequestVerificationToken"[^>]*?value="([^"]+)"/.exec(await form.text())[1].replace(/&#x2B;/g, '+').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=');
  const body = new URLSearchParams({ Email: email, Password: password, TenantSlug: '', __RequestVerificationToken: token });
  const r = await fetch(base + '/signin', { method: 'POST', redirect: 'manual', body, headers: { Cookie: cookieHeader(jar), 'Content-Type': 'application/x-www-form-urlencoded' } });
  keep(jar, r);
  if (r.status !== 302 || !jar.switchboard) throw new Error(`sign-in of ${email}: ${r.status}`);
  return cookieHeader(jar);
}
function connect(cookie, onEvent) {
  return new Promise(async (resolve, reject) => {
    const n = await fetch(base + '/hubs/floor/negotiate?negotiateVersion=1', { method: 'POST', headers: { Cookie: cookie } });
    if (!n.ok) return reject(new Error(`negotiate ${n.status}`));
    const { connectionToken } = await n.json();
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/hubs/floor?id=' + encodeURIComponent(connectionToken), { headers: { Cookie: cookie } });
    let handshaken = false;
    ws.on('open', () => ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS));
    ws.on('message', data => {
      for (const record of data.toString().split(RS).filter(Boolean)) {
        const m = JSON.parse(record);
        if (!handshaken) { handshaken = true; if (m.error) return reject(new Error(m.error)); resolve(ws); continue; }
        if (m.type === 1 && m.target === 'event') onEvent(m.arguments[0], now());
      }
    });
    ws.on('error', reject);
  });
}

(async () => {
  const root = await (await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: rootEmail, password }) })).json();
  const stamp = Date.now().toString(36);
  const emails = [];
  for (let i = 0; i < N; i++) {
    const email = `live-${stamp}-${i}@acme.test`;
    await api('POST', '/api/v1/users', root.accessToken, { email, firstName: 'Live', lastName: `Agent ${i}`, role: 'agent', password, tenantId });
    emails.push(email);
  }
  const cookies = [];
  for (let i = 0; i < N; i += 20) cookies.push(...await Promise.all(emails.slice(i, i + 20).map(signInPage)));
  const me = await api('GET', '/api/v1/auth/me', managerToken);

  global.gc?.();
  await new Promise(r => setTimeout(r, 3000));
  const before = rss();
  const received = []; // per connection: [time of change k]
  let events = 0;
  const started = now();
  const sockets = [];
  for (let i = 0; i < N; i += 25)
    sockets.push(...await Promise.all(cookies.slice(i, i + 25).map((cookie, j) => {
      const mine = received[i + j] = [];
      return connect(cookie, (e, at) => { events++; if (e.type === 'presence.changed' && e.data.userId === me.id) mine.push(at); });
    })));
  const connectSeconds = (now() - started) / 1000;
  // Keep them alive as browsers do (SignalR's client ping every 15 s), and let the app settle before measuring.
  const pinger = setInterval(() => sockets.forEach(s => s.readyState === 1 && s.send(JSON.stringify({ type: 6 }) + RS)), 15000);
  await new Promise(r => setTimeout(r, 10000));
  const after = rss();
  if (K === 0 && stopFile) {
    fs.writeFileSync(stopFile + '.live-ready', '');
    while (!fs.existsSync(stopFile)) await new Promise(r => setTimeout(r, 1000));
    clearInterval(pinger);
    console.log(JSON.stringify({ connections: N, open: sockets.filter(s => s.readyState === 1).length, events, connectSeconds }));
    sockets.forEach(s => s.close());
    process.exit(0);
  }

  const sent = [];
  for (let k = 0; k < K; k++) {
    sent.push(now());
    await api('PUT', '/api/v1/presence/me', managerToken, { state: k % 2 === 0 ? 'away' : 'available' });
    await new Promise(r => setTimeout(r, 1000));
  }
  await new Promise(r => setTimeout(r, 3000));
  clearInterval(pinger);
  const latencies = [];
  let missing = 0;
  for (const times of received) for (let k = 0; k < K; k++) times[k] === undefined ? missing++ : latencies.push(times[k] - sent[k]);
  latencies.sort((a, b) => a - b);
  const q = p => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  console.log(JSON.stringify({ connections: sockets.filter(s => s.readyState === 1).length, connectSeconds, rssBefore: before, rssAfter: after,
    perConnectionKiB: (after - before) / N / 1024, changes: K, deliveries: latencies.length, missing, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] }));
  sockets.forEach(s => s.close());
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
