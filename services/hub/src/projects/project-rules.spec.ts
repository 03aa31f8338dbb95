import { describe, expect, it } from '@jest/globals';
import { parseSelector } from '@fleetwave/labels';
import { type Actor } from '../common/actor.js';
import {
  applicationDenial,
  type BoundedApplication,
  type ProjectRecord,
  projectRole,
  requireProjectRole,
  selectorWithin,
  sourceAllowed,
} from './project-rules.js';

const project = (over: Partial<ProjectRecord> = {}): ProjectRecord => ({
  name: 'payments',
  description: '',
  sourceRepos: ['https://git.example/payments/*'],
  clusterSelector: 'env in (staging,prod),region',
  namespaces: ['payments-*'],
  kinds: ['*'],
  clusterKinds: [],
  members: [
    { subject: 'token:ci', role: 'operator' },
    { subject: 'group:payments-leads', role: 'admin' },
    { subject: 'user:bo', role: 'viewer' },
  ],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...over,
});

describe('projectRole', () => {
  it.each<[string, Actor, string | null]>([
    ['a fleet viewer who is no member', { name: 'token:reader', role: 'viewer' }, 'viewer'],
    ['a fleet viewer raised by membership', { name: 'token:ci', role: 'viewer' }, 'operator'],
    ['membership never lowers a fleet role', { name: 'token:ci', role: 'admin' }, 'admin'],
    ['an OIDC group member', { name: 'user:ann', role: 'viewer', groups: ['payments-leads'] }, 'admin'],
    ['a token bound to this project', { name: 'token:p', role: 'operator', project: 'payments' }, 'operator'],
    ['a token bound to another project', { name: 'token:o', role: 'admin', project: 'other' }, null],
    [
      'a members-only SSO user in a member group',
      { name: 'user:ann', role: 'viewer', groups: ['payments-leads'], membersOnly: true },
      'admin',
    ],
    [
      'a members-only SSO user named as a member',
      { name: 'user:bo', role: 'viewer', groups: [], membersOnly: true },
      'viewer',
    ],
    ['a members-only SSO user nowhere named', { name: 'user:cy', role: 'viewer', membersOnly: true }, null],
    [
      'a bound token is not raised by membership',
      { name: 'token:ci', role: 'viewer', project: 'payments' },
      'viewer',
    ],
  ])('%s', (_, actor, expected) => {
    expect(projectRole(actor, project())).toBe(expected);
  });

  it('a viewer cannot mutate; an operator can', () => {
    expect(() => requireProjectRole({ name: 'token:reader', role: 'viewer' }, project(), 'operator')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() =>
      requireProjectRole({ name: 'token:ci', role: 'viewer' }, project(), 'operator'),
    ).not.toThrow();
  });
});

describe('sourceAllowed', () => {
  it.each([
    [['*'], 'https://anything.example/x/y.git', true],
    [['https://git.example/payments/*'], 'https://git.example/payments/api', true],
    [['https://git.example/payments/*'], 'https://git.example/other/api', false],
    [['https://git.example/payments/*'], 'https://git.example/payments/deep/api', false],
    [['https://git.example/**'], 'https://git.example/payments/deep/api', true],
    [[], 'https://git.example/payments/api', false],
  ])('%j allows %s: %s', (patterns, url, expected) => {
    expect(sourceAllowed(patterns, url)).toBe(expected);
  });
});

describe('selectorWithin', () => {
  it.each([
    ['', 'anything=1', true],
    ['env=prod', 'env=prod', true],
    ['env=prod', 'env=prod,tier=web', true],
    ['env=prod', 'env in (prod)', true],
    ['env=prod', 'env in (prod,staging)', false],
    ['env=prod', '', false],
    ['env=prod', 'tier=web', false],
    ['env in (staging,prod)', 'env=staging', true],
    ['env in (staging,prod)', 'env in (prod,staging)', true],
    ['env in (staging,prod)', 'env notin (dev)', false],
    ['env!=dev', 'env=prod', true],
    ['env!=dev', 'env notin (dev,test)', true],
    ['env!=dev', '!env', true],
    ['env!=dev', 'env!=test', false],
    ['env notin (dev,test)', 'env!=dev', false],
    ['env notin (dev,test)', 'env in (prod)', true],
    ['region', 'region=eu', true],
    ['region', 'region!=eu', false],
    ['!legacy', '!legacy', true],
    ['!legacy', 'legacy!=true', false],
    ['size>3', 'size>5', true],
    ['size>3', 'size>2', false],
    ['size>3', 'size in (4,9)', true],
    ['size>3', 'size=abc', false],
    ['size<10', 'size<9', true],
    ['size<10', 'size>1', false],
  ])('project "%s" contains application "%s": %s', (proj, app, expected) => {
    expect(selectorWithin(parseSelector(proj), parseSelector(app)) === null).toBe(expected);
  });
});

describe('applicationDenial', () => {
  const inside: BoundedApplication = {
    repoUrl: 'https://git.example/payments/api',
    targetSelector: 'env=prod,region=eu',
    defaultNamespace: 'payments-api',
  };

  it.each<[string, Partial<BoundedApplication>, string | null]>([
    ['within every bound', {}, null],
    ['no default namespace', { defaultNamespace: null }, null],
    ['another repository', { repoUrl: 'https://git.example/other/api' }, 'PROJECT_SOURCE_DENIED'],
    ['a selector reaching outside', { targetSelector: 'region=eu' }, 'PROJECT_DESTINATION_DENIED'],
    ['another namespace', { defaultNamespace: 'kube-system' }, 'PROJECT_NAMESPACE_DENIED'],
  ])('%s', (_, change, code) => {
    expect(applicationDenial(project(), { ...inside, ...change })?.code ?? null).toBe(code);
  });

  it('names the bound in its message', () => {
    expect(applicationDenial(project(), { ...inside, targetSelector: 'env=prod' })?.message).toContain(
      'requirement on "region"',
    );
  });
});
