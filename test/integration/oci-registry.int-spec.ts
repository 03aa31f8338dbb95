/**
 * The OCI registry the Helm OCI chart tests use (test/harness/oci-registry.ts): the real CNCF
 * distribution registry, with charts pushed and pulled by the real helm, both built by test/kube.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { kubeBinDir } from '../kube/fleet.js';
import { helmEnv } from '../harness/helm-repo-server.js';
import { type OciRegistry, startOciRegistry } from '../harness/oci-registry.js';

const HELM = path.join(kubeBinDir(), 'helm');
const CHART = 'fleetwave-oci-probe';

let work: string;
let packaged: string;
const registries: OciRegistry[] = [];

/** helm with its config, cache and registry credentials in this test's directory. */
function helm(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = path.join(work, 'helm-home');
  return new Promise((resolve) => {
    const child = execFile(HELM, args, { env: helmEnv(home) }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

/** A helm run that must succeed; its error output is the failure message otherwise. */
function succeeded(result: { code: number; stdout: string; stderr: string }): string {
  if (result.code !== 0) throw new Error(`helm exited with ${result.code}:\n${result.stderr}`);
  return result.stdout + result.stderr;
}

/** `helm pull` of the probe chart at `version` into a new directory `into`. */
async function pull(registry: OciRegistry, version: string, into: string) {
  await mkdir(into, { recursive: true });
  return helm([
    'pull',
    `oci://${registry.host}/charts/${CHART}`,
    '--version',
    version,
    '--plain-http',
    '--destination',
    into,
  ]);
}

async function start(options?: Parameters<typeof startOciRegistry>[0]): Promise<OciRegistry> {
  const registry = await startOciRegistry(options);
  registries.push(registry);
  return registry;
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

beforeAll(async () => {
  if (!existsSync(HELM))
    throw new Error(`helm not found at ${HELM}: build it with \`bash test/kube/build-helm.sh\``);
  work = await mkdtemp(path.join(os.tmpdir(), 'fleetwave-oci-spec-'));
  const chart = path.join(work, 'chart');
  await mkdir(path.join(chart, 'templates'), { recursive: true });
  await writeFile(path.join(chart, 'Chart.yaml'), `apiVersion: v2\nname: ${CHART}\nversion: 0.1.0\n`);
  await writeFile(path.join(chart, 'values.yaml'), 'greeting: hello\n');
  await writeFile(
    path.join(chart, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting }}\n',
  );
  const out = await helm(['package', chart, '--destination', path.join(work, 'packaged')]);
  succeeded(out);
  packaged = path.join(work, 'packaged', `${CHART}-0.1.0.tgz`);
});

afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.stop()));
});

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('the test OCI registry', () => {
  it('takes a helm push and gives the same chart back to helm pull', async () => {
    const registry = await start();

    const pushed = await helm(['push', packaged, `oci://${registry.host}/charts`, '--plain-http']);
    expect(succeeded(pushed)).toContain(`Pushed: ${registry.host}/charts/${CHART}:0.1.0`);

    const tags = await fetch(`http://${registry.host}/v2/charts/${CHART}/tags/list`);
    expect(await tags.json()).toEqual({ name: `charts/${CHART}`, tags: ['0.1.0'] });

    const into = path.join(work, 'pulled-anonymous');
    succeeded(await pull(registry, '0.1.0', into));
    expect(await sha256(path.join(into, `${CHART}-0.1.0.tgz`))).toBe(await sha256(packaged));
  });

  it('a version that was never pushed is not found', async () => {
    const registry = await start();
    const pulled = await pull(registry, '9.9.9', path.join(work, 'never'));
    expect(pulled.code).not.toBe(0);
    expect(pulled.stderr).toMatch(/not found/);
  });

  it('with htpasswd auth: refuses anonymous and wrong credentials, takes the right ones', async () => {
    const auth = { username: 'charts-ci', password: 'correct horse battery staple' };
    const registry = await start({ auth });
    expect((await fetch(`http://${registry.host}/v2/`)).status).toBe(401);

    const anonymous = await helm(['push', packaged, `oci://${registry.host}/charts`, '--plain-http']);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/basic credential not found|unauthorized/i);

    const login = (password: string) =>
      helm(
        ['registry', 'login', registry.host, '--username', auth.username, '--password-stdin', '--plain-http'],
        password,
      );
    const wrong = await login('not the password');
    expect(wrong.code).not.toBe(0);
    succeeded(await login(auth.password));

    const pushed = await helm(['push', packaged, `oci://${registry.host}/charts`, '--plain-http']);
    succeeded(pushed);
    const into = path.join(work, 'pulled-auth');
    succeeded(await pull(registry, '0.1.0', into));
    expect(await sha256(path.join(into, `${CHART}-0.1.0.tgz`))).toBe(await sha256(packaged));
    await helm(['registry', 'logout', registry.host]);
  });

  it('stop() ends the registry and removes its storage', async () => {
    const registry = await startOciRegistry();
    await registry.stop();
    expect(existsSync(registry.storageDir)).toBe(false);
    await expect(fetch(`http://${registry.host}/v2/`)).rejects.toThrow();
  });
});
