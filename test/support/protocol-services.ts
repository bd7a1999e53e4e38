/**
 * The planner and dispatcher as their own processes on a test's prefix, with a requester standing in
 * for a gateway replica (ProtocolRequests as the gateway sends them after its checks).
 */
import { topics } from '@maestro/contracts';
import { createRequester, silentLogger, type Requester } from '@maestro/bus';
import { createRedis, type Redis } from '@maestro/state';
import { createTestBus, type TestBus } from './test-bus';
import { stackEnv } from './environment';
import { spawnService, type SpawnedService } from './services';
import { deletePrefixed } from './redis-keys';

export interface ProtocolServices {
  bus: TestBus;
  redis: Redis;
  gateway: Requester<typeof topics.protocolRequests, typeof topics.protocolReplies>;
  planner: SpawnedService;
  dispatcher: SpawnedService;
  /** Stops what was started and deletes the prefix's keys; safe after a partial start. */
  stop(): Promise<void>;
}

export async function startProtocolServices(prefix: string, env: Record<string, string>, label: string): Promise<ProtocolServices> {
  const started: Partial<ProtocolServices> = {};
  const stop = async () => {
    await started.gateway?.stop();
    await Promise.all([started.planner?.stop(), started.dispatcher?.stop()]);
    if (started.redis) {
      await deletePrefixed(started.redis, prefix);
      await started.redis.quit();
    }
    await started.bus?.close();
  };
  try {
    started.bus = await createTestBus(prefix, [topics.protocolRequests, topics.protocolReplies, topics.plans, topics.executions, topics.audit]);
    started.redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: `${label}-test` });
    await started.redis.connect();
    [started.planner, started.dispatcher] = await Promise.all([spawnService('planner', env), spawnService('dispatcher', env)]);
    started.gateway = createRequester({
      kafka: started.bus.kafka, codecs: started.bus.codecs, producer: started.bus.producer, requestSpec: topics.protocolRequests, replySpec: topics.protocolReplies,
      replicaId: `gw-${label}`, groupPrefix: `${prefix}gateway`, logger: silentLogger,
    });
    await started.gateway.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...(started as Omit<ProtocolServices, 'stop'>), stop };
}
