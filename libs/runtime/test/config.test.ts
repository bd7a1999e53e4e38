import { describe, expect, it } from 'vitest';
import { ConfigError, baseConfigSpec, decimal, flag, hostPortList, integer, loadConfig, oneOf, optionalText, text, url } from '../src';

describe('loadConfig', () => {
  const spec = {
    port: integer('PORT', 'port', { default: 8080, min: 1, max: 65535 }),
    ratio: decimal('RATIO', 'ratio', { default: 0.5, min: 0, max: 1 }),
    live: flag('LIVE', 'live', { default: false }),
    mode: oneOf('MODE', 'mode', ['a', 'b'] as const, { default: 'a' }),
    name: text('NAME', 'required name'),
    prefix: optionalText('PREFIX', 'prefix', /^[a-z.]+$/),
    brokers: hostPortList('BROKERS', 'brokers', { default: '127.0.0.1:9092' }),
    registry: url('REGISTRY', 'registry', ['http:', 'https:'], { default: 'http://127.0.0.1:8081/x/' }),
  };

  it('applies defaults, parses values and freezes the result', () => {
    const config = loadConfig(spec, { NAME: 'n', LIVE: 'yes', MODE: 'b', BROKERS: 'k1:9092, k2:9093', PREFIX: 'dev.' });
    expect(config).toEqual({ port: 8080, ratio: 0.5, live: true, mode: 'b', name: 'n', prefix: 'dev.', brokers: ['k1:9092', 'k2:9093'], registry: 'http://127.0.0.1:8081/x' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ NAME: 'n', PORT: '80a' }, 'PORT: "80a" is not an integer'],
    [{ NAME: 'n', PORT: '0' }, 'PORT: 0 is below the minimum 1'],
    [{ NAME: 'n', RATIO: '1.5' }, 'RATIO: 1.5 is above the maximum 1'],
    [{ NAME: 'n', RATIO: 'half' }, 'RATIO: "half" is not a number'],
    [{ NAME: 'n', LIVE: 'maybe' }, 'LIVE: "maybe" is not a boolean (true/false)'],
    [{ NAME: 'n', MODE: 'c' }, 'MODE: "c" is not one of a, b'],
    [{}, 'NAME: is required and not set'],
    [{ NAME: '  ' }, 'NAME: is required and not set'],
    [{ NAME: 'n', PREFIX: 'Dev' }, 'PREFIX: "Dev" does not match'],
    [{ NAME: 'n', BROKERS: 'kafka' }, 'BROKERS: "kafka" is not host:port'],
    [{ NAME: 'n', REGISTRY: 'ftp://x' }, 'REGISTRY: "ftp://x" must use http: or https:'],
    [{ NAME: 'n', REGISTRY: 'not a url' }, 'REGISTRY: "not a url" is not a URL'],
  ])('names the variable: %j → %s', (env, message) => {
    expect(() => loadConfig(spec, env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    let caught: ConfigError | undefined;
    try {
      loadConfig(spec, { PORT: 'x', MODE: 'z' });
    } catch (error) {
      caught = error as ConfigError;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught!.variable).toBe('PORT, MODE, NAME');
  });

  it('gives every base variable a default, so a service starts with an empty environment', () => {
    const config = loadConfig(baseConfigSpec(9999), {});
    expect(config.httpPort).toBe(9999);
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.topicPrefix).toBe('');
  });
});
