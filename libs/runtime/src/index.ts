export { ConfigError, loadConfig, text, optionalText, integer, decimal, flag, oneOf, url, hostPortList, type ConfigSpec, type ConfigOf, type Env, type Field } from './config';
export { baseConfigSpec, type BaseConfigSpec } from './base-config';
export { createLifecycle, type Lifecycle, type LifecycleState } from './lifecycle';
export { createReadiness, type Readiness, type ReadinessReport, type Probe } from './readiness';
export { createHttpServer, type HttpServerOptions } from './http-server';
export { clientErrorAnswer, type ClientErrorAnswer } from './client-errors';
export { assertNotStalled, assertProducerHealthy, defineService, runService, startService, type ServiceDefinition, type ServiceContext, type ServiceConfig, type RunningService, type AuditEntry } from './service';
