export { createRedis, type RedisClientOptions } from './redis-client';
export { createKeyspace, type Keyspace } from './keyspace';
export type { Redis } from 'ioredis';
