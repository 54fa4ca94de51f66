// Starts a real hfserve on a free port (--port 0) over the fixture models and stops it after the
// tests. The port is read from the server's "listening" log line; readiness from GET /ready.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const fixtures = process.env.HFSERVE_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/fixtures');
export const binary = process.env.HFSERVE_BINARY ?? path.join(repoRoot, 'build', 'hfserve');

export function haveFixtures() {
  return fs.existsSync(path.join(fixtures, 'models', 'llama-tiny', 'config.json'));
}

export async function startServer(extraArgs = []) {
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-e2e-'));
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--model-dir',
    path.join(fixtures, 'models'), '--demo-models-dir', demoDir, '--log-level', 'info',
    ...extraArgs];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 30000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening url=http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
    // Keep collecting after start-up so that stop() can show the whole log when asked to.
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${base}/ready`).catch(() => null);
    if (r && r.status === 200) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  return {
    port,
    base,
    child,
    logs: () => log,
    async stop() {
      if (process.env.HFSERVE_E2E_VERBOSE) process.stderr.write(log);
      child.removeAllListeners('exit');
      const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
      child.kill('SIGTERM');
      const result = await exited;
      fs.rmSync(demoDir, { recursive: true, force: true });
      return result;
    },
  };
}

// A TCP port nothing listens on now (loopback), for servers a test starts itself.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
