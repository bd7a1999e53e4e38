import { describe, expect, it } from 'vitest';
import { pluginShapeProblems } from '../src/host/index';

const fn = () => undefined;

describe('pluginShapeProblems', () => {
  it('accepts a plugin using every extension point', () => {
    expect(pluginShapeProblems({
      name: 'all.points_1', version: '1.2.3',
      strategies: [{ name: 'drain', appliesTo: fn, plan: fn, ladders: { spike: 'first', drift: 'before_runbook' } }],
      policyHooks: { healer: [{ name: 'a', evaluate: fn }], router: [{ name: 'a', evaluate: fn }], gateway: [{ name: 'a', evaluate: fn }] },
      discoveryProviders: [{ name: 'cmdb', precedence: 250, list: fn }],
      runners: [{ type: 'k8s', idempotent: true, timeoutMs: 5_000, configure: fn, run: fn }],
      optimisationSignals: [{ name: 'queue', measure: fn }],
    })).toEqual([]);
  });

  it.each([
    ['not an object', 42, 'the default export must be definePlugin({ name, version, ... }), got number 42'],
    ['no default export (a module namespace without default)', undefined, 'the default export must be definePlugin'],
    ['a bad name', { name: 'has space', version: '1' }, 'name must be 1 to 64 lowercase letters'],
    ['an upper-case name (discovery source names are lowercase)', { name: 'Acme', version: '1' }, 'name must be 1 to 64 lowercase letters'],
    ['no version', { name: 'p' }, 'version must be a non-empty string'],
    ['an unknown key', { name: 'p', version: '1', hooks: [] }, 'hooks is not known'],
    ['strategies not a list', { name: 'p', version: '1', strategies: {} }, 'strategies must be an array, got an object'],
    ['a strategy without plan', { name: 'p', version: '1', strategies: [{ name: 's', appliesTo: fn }] }, 'strategies[0].plan must be a function, got undefined'],
    ['a ladder placement for no kind', { name: 'p', version: '1', strategies: [{ name: 's', appliesTo: fn, plan: fn, ladders: { flood: 'first' } }] }, 'strategies[0].ladders.flood is not an anomaly kind'],
    ['a bad ladder placement', { name: 'p', version: '1', strategies: [{ name: 's', appliesTo: fn, plan: fn, ladders: { spike: 'last' } }] }, 'strategies[0].ladders.spike must be first or before_runbook'],
    ['hooks for a service without hooks', { name: 'p', version: '1', policyHooks: { detector: [] } }, 'policyHooks.detector is not a service with policy hooks'],
    ['two hooks of one name', { name: 'p', version: '1', policyHooks: { router: [{ name: 'h', evaluate: fn }, { name: 'h', evaluate: fn }] } }, 'policyHooks.router[1].name "h" is registered twice'],
    ['a provider with a bad precedence', { name: 'p', version: '1', discoveryProviders: [{ name: 'c', list: fn, precedence: 'high' }] }, 'discoveryProviders[0].precedence must be a finite number'],
    ['a runner of a built-in type', { name: 'p', version: '1', runners: [{ type: 'webhook', run: fn }] }, 'runners[0].type "webhook" is a built-in runner type'],
    ['a runner with a bad timeout', { name: 'p', version: '1', runners: [{ type: 'k', run: fn, timeoutMs: -1 }] }, 'runners[0].timeoutMs must be a positive integer'],
    ['a signal without measure', { name: 'p', version: '1', optimisationSignals: [{ name: 'q' }] }, 'optimisationSignals[0].measure must be a function'],
  ])('refuses %s', (_, value, problem) => {
    expect(pluginShapeProblems(value).join('; ')).toContain(problem);
  });
});
