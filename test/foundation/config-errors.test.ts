import { describe, expect, it } from 'vitest';
import { spawnService } from '../support/services';

describe('a configuration error at start', () => {
  it.each([
    ['HTTP_PORT', 'seventy', /HTTP_PORT: "seventy" is not an integer/],
    ['KAFKA_BROKERS', 'kafka-without-port', /KAFKA_BROKERS: "kafka-without-port" is not host:port/],
    ['DETECTOR_THRESHOLD', '1.7', /DETECTOR_THRESHOLD: 1.7 is above the maximum 1/],
  ])('stops the process non-zero, naming %s', async (variable, value, message) => {
    const service = await spawnService('detector', { [variable]: value }, { waitReady: false });
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output.join('\n')).toMatch(message);
  });
});
