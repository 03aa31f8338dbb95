import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { inClusterConnection, KubeConfigError, kubeconfigConnection } from './kubeconfig.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-spec-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function kubeconfig(user: string, cluster = `certificate-authority-data: ${b64('CA')}`): string {
  return write(
    'config',
    `apiVersion: v1
kind: Config
current-context: a
contexts:
  - name: a
    context: { cluster: c1, user: u1, namespace: shop }
  - name: b
    context: { cluster: c2, user: u1 }
clusters:
  - name: c1
    cluster:
      server: https://127.0.0.1:6443/
      ${cluster}
  - name: c2
    cluster: { server: https://other:443, insecure-skip-tls-verify: true }
users:
  - name: u1
    user:
      ${user}
`,
  );
}

describe('kubeconfigConnection', () => {
  it('reads inline client certificates and CA of the current context', () => {
    const file = kubeconfig(`client-certificate-data: ${b64('CERT')}\n      client-key-data: ${b64('KEY')}`);
    const c = kubeconfigConnection(file);
    expect(c.server).toBe('https://127.0.0.1:6443');
    expect(c.namespace).toBe('shop');
    expect(c.ca?.toString()).toBe('CA');
    expect(c.cert?.toString()).toBe('CERT');
    expect(c.key?.toString()).toBe('KEY');
    expect(c.skipTLSVerify).toBe(false);
    expect(c.token()).toBeUndefined();
  });

  it('reads files relative to the kubeconfig, a token file, and another context', () => {
    write('ca.crt', 'CAFILE');
    write('token', 'tok\n');
    const file = kubeconfig('tokenFile: token', 'certificate-authority: ca.crt');
    const c = kubeconfigConnection(file);
    expect(c.ca?.toString()).toBe('CAFILE');
    expect(c.token()).toBe('tok');
    const other = kubeconfigConnection(file, 'b');
    expect(other.server).toBe('https://other:443');
    expect(other.skipTLSVerify).toBe(true);
  });

  it('rejects exec and auth-provider plugins, naming them', () => {
    expect(() => kubeconfigConnection(kubeconfig('exec: { command: aws }'))).toThrow(
      /exec credential plugins/,
    );
    expect(() => kubeconfigConnection(kubeconfig('auth-provider: { name: gcp }'))).toThrow(
      /auth-provider plugins/,
    );
  });

  it('names a missing context', () => {
    expect(() => kubeconfigConnection(kubeconfig('token: t'), 'nope')).toThrow(KubeConfigError);
    expect(() => kubeconfigConnection(kubeconfig('token: t'), 'nope')).toThrow(/no context "nope"/);
  });
});

describe('inClusterConnection', () => {
  it('uses the service host and the mounted token and CA', () => {
    write('token', 'sa-token');
    write('ca.crt', 'SACA');
    write('namespace', 'fleetwave');
    const c = inClusterConnection(
      { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      dir,
    );
    expect(c.server).toBe('https://10.0.0.1:443');
    expect(c.token()).toBe('sa-token');
    expect(c.ca?.toString()).toBe('SACA');
    expect(c.namespace).toBe('fleetwave');
  });

  it('says when not in a cluster', () => {
    expect(() => inClusterConnection({}, dir)).toThrow(/not running in a cluster/);
  });
});
