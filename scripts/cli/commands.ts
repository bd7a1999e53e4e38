/**
 * The CLI's commands as data: argv in, a Command out (or UsageError naming what is wrong and whose
 * usage to show). Pure, so every refusal is a table-driven unit test.
 */
import { isOperationName, operationNames } from '../../services/gateway/src/domain';
import { TOKEN_ID } from '../../services/gateway/src/telemetry-tokens';
import { optionValue, parseDuration, parsePositive, splitArguments, UsageError, type OptionDeclaration } from './arguments';
import { tailTargets, type CommandName } from './help';
import type { TailTarget } from './tail-format';

/** How far back `tail` starts without --since or --from-beginning. @default one hour */
export const DEFAULT_TAIL_SINCE_MS = 3_600_000;

export interface JobOptions {
  jobId?: string;
  jobClass?: string;
  allowedRegions: string[];
  capabilities: string[];
  complianceTags: string[];
  costCeiling: number | null;
  latencyObjectiveMs: number | null;
  priority?: number;
}

export type Command =
  | { kind: 'help'; command?: CommandName }
  | { kind: 'caller-add'; id: string; tenant: string; capabilities: string[] }
  | { kind: 'token-add'; id: string; tenant: string; assets: string[] }
  | { kind: 'call'; operation: string; as: string; payload: string | null; payloadFile: string | null; idempotencyKey: string | null; get: string | null }
  /** sinceMs null reads from the beginning. */
  | { kind: 'tail'; target: TailTarget; assetId: string | null; follow: boolean; json: boolean; sinceMs: number | null }
  | { kind: 'assets'; token: string | null; json: boolean }
  | { kind: 'job-submit'; job: JobOptions; token: string | null; json: boolean }
  | { kind: 'plan-show'; charterId: string; goalId: string; version: number | null; json: boolean };

const CALLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

const declarations: Record<CommandName, OptionDeclaration> = {
  'caller add': { values: ['tenant', 'capability'], repeatable: ['capability'] },
  'token add': { values: ['tenant', 'assets'], repeatable: ['assets'] },
  call: { values: ['as', 'payload', 'payload-file', 'idempotency-key', 'get'] },
  tail: { values: ['asset', 'since'], flags: ['follow', 'json', 'from-beginning'] },
  assets: { values: ['token'], flags: ['json'] },
  'job submit': {
    values: ['id', 'class', 'region', 'capability', 'compliance', 'cost-ceiling', 'latency-ms', 'priority', 'token'],
    repeatable: ['region', 'capability', 'compliance'], flags: ['json'],
  },
  'plan show': { values: ['version'], flags: ['json'] },
};

/** Which command the words name: two-word commands first, so `job` alone asks for its subcommand. */
function commandOf(words: readonly string[]): { name: CommandName; rest: string[] } | null {
  const two = `${words[0]} ${words[1]}`;
  if (two in declarations) return { name: two as CommandName, rest: words.slice(2) };
  if (words[0] !== undefined && words[0] in declarations) return { name: words[0] as CommandName, rest: words.slice(1) };
  return null;
}

const groups: Record<string, CommandName[]> = { caller: ['caller add'], token: ['token add'], job: ['job submit'], plan: ['plan show'] };

/** Parses the command line (after the script name); throws UsageError naming what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  // The command is the words before the first option; option values are not command words.
  const firstOption = argv.findIndex((a) => a.startsWith('--') || a === '-h');
  const words = firstOption < 0 ? [...argv] : argv.slice(0, firstOption);
  const asksHelp = argv.some((a) => a === '-h' || a === '--help');
  if (words.length === 0 || words[0] === 'help') {
    const named = words.length > 1 ? commandOf(words.slice(1)) : null;
    if (words.length > 1 && !named) throw new UsageError(`unknown command '${words.slice(1).join(' ')}'`);
    if (words.length === 0 && !asksHelp && argv.length > 0) throw new UsageError(`unknown option ${argv[0]}; options follow a command`);
    return named ? { kind: 'help', command: named.name } : { kind: 'help' };
  }
  const found = commandOf(words);
  if (!found) {
    const group = groups[words[0]!];
    if (group) throw new UsageError(`'${words[0]}' needs a subcommand: ${group.join(', ')}`, group[0]!);
    throw new UsageError(`unknown command '${words.join(' ')}'`);
  }
  const { name } = found;
  if (asksHelp) return { kind: 'help', command: name };
  const parsed = splitArguments(argv, declarations[name], name);
  const args = parsed.positional.slice(name.split(' ').length);
  const usage = (message: string) => new UsageError(message, name);
  const value = (option: string) => optionValue(parsed, option);

  switch (name) {
    case 'caller add': {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0) throw usage('caller add takes exactly one caller id');
      if (!CALLER_ID.test(id)) throw usage(`caller id '${id}' must start with a letter or digit and use only letters, digits and . _ : @ -`);
      const tenant = value('tenant');
      if (!tenant) throw usage('caller add needs --tenant');
      return { kind: 'caller-add', id, tenant, capabilities: parsed.values.get('capability') ?? ['map.maestro.*'] };
    }
    case 'token add': {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0) throw usage('token add takes exactly one token id');
      if (!TOKEN_ID.test(id)) throw usage(`token id '${id}' must start with a letter or digit and use only letters, digits and _ : @ -`);
      const tenant = value('tenant');
      if (!tenant) throw usage('token add needs --tenant');
      return { kind: 'token-add', id, tenant, assets: parsed.values.get('assets') ?? [] };
    }
    case 'call': {
      const [given, ...extra] = args;
      if (given === undefined || extra.length > 0) throw usage('call takes exactly one operation');
      const operation = given.replace(/^maestro\./, '');
      if (!isOperationName(operation)) throw usage(`unknown operation '${given}'; the operations are ${operationNames.join(', ')}`);
      const as = value('as');
      if (!as) throw usage('call needs --as <caller id>');
      const inline = value('payload');
      const file = value('payload-file');
      if ((inline === null) === (file === null)) throw usage('call needs one of --payload <json> or --payload-file <path>');
      // `--payload @file` is curl's spelling of a payload from a file.
      const fromAt = inline?.startsWith('@') ? inline.slice(1) : null;
      if (fromAt === '') throw usage('--payload @ needs a file name after the @');
      const get = value('get');
      if (get !== null && !/^[\w-]+(\.[\w-]+)*$/.test(get)) throw usage(`--get takes a dotted path into the answer such as result.workOrders.0.workOrderId, not '${get}'`);
      return { kind: 'call', operation, as, payload: fromAt === null ? inline : null, payloadFile: fromAt ?? file, idempotencyKey: value('idempotency-key'), get };
    }
    case 'tail': {
      const [target, ...extra] = args;
      if (target === undefined) throw usage(`tail needs what to read: one of ${tailTargets.join(', ')}`);
      if (!(tailTargets as readonly string[]).includes(target)) throw usage(`cannot tail '${target}'; one of ${tailTargets.join(', ')}`);
      if (extra.length > 0) throw usage(`tail reads one thing at a time; unexpected '${extra.join(' ')}'`);
      const since = value('since');
      const fromBeginning = parsed.flags.has('from-beginning');
      if (since !== null && fromBeginning) throw usage('--since and --from-beginning contradict each other: give one');
      const assetId = value('asset');
      if (assetId !== null && target === 'jobs') throw usage('job requests name no asset; tail decisions --asset <id> shows the jobs routed to or away from it');
      return {
        kind: 'tail', target: target as TailTarget, assetId, follow: parsed.flags.has('follow'), json: parsed.flags.has('json'),
        sinceMs: fromBeginning ? null : since === null ? DEFAULT_TAIL_SINCE_MS : parseDuration('since', since, name),
      };
    }
    case 'assets':
      if (args.length > 0) throw usage(`assets takes no arguments; unexpected '${args.join(' ')}'`);
      return { kind: 'assets', token: value('token'), json: parsed.flags.has('json') };
    case 'job submit': {
      if (args.length > 0) throw usage(`job submit takes options only; unexpected '${args.join(' ')}'`);
      const priority = value('priority');
      if (priority !== null && !/^-?\d+$/.test(priority)) throw usage(`--priority must be an integer from -1000 to 1000, not '${priority}'`);
      const id = value('id');
      const jobClass = value('class');
      return {
        kind: 'job-submit', token: value('token'), json: parsed.flags.has('json'),
        job: {
          ...(id !== null ? { jobId: id } : {}), ...(jobClass !== null ? { jobClass } : {}), ...(priority !== null ? { priority: Number(priority) } : {}),
          allowedRegions: parsed.values.get('region') ?? [], capabilities: parsed.values.get('capability') ?? [], complianceTags: parsed.values.get('compliance') ?? [],
          costCeiling: parsePositive('cost-ceiling', value('cost-ceiling'), name), latencyObjectiveMs: parsePositive('latency-ms', value('latency-ms'), name),
        },
      };
    }
    case 'plan show': {
      const [charterId, goalId, ...extra] = args;
      if (charterId === undefined || goalId === undefined || extra.length > 0) throw usage('plan show takes a charter id and a goal id');
      const version = value('version');
      if (version !== null && !/^[1-9]\d*$/.test(version)) throw usage(`--version must be a version number (1, 2, …), not '${version}'`);
      return { kind: 'plan-show', charterId, goalId, version: version === null ? null : Number(version), json: parsed.flags.has('json') };
    }
  }
}
