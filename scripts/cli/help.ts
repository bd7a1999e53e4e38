/**
 * What `--help` prints for each command: its usage, its options and an example. One table, so the
 * overview and every command's page cannot disagree, and a test can check every command has a page.
 */

export const commandNames = ['caller add', 'token add', 'call', 'tail', 'assets', 'job submit', 'plan show'] as const;
export type CommandName = (typeof commandNames)[number];

interface HelpPage {
  usage: string;
  summary: string;
  options: readonly (readonly [string, string])[];
  example: string;
}

const ENVIRONMENT = 'MAESTRO_HOME (default .maestro) holds keys, trust.json and tokens.json; MAESTRO_GATEWAY_URL (default http://127.0.0.1:8080).\n'
  + 'The bus: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, MAESTRO_TOPIC_PREFIX, KAFKA_SASL_MECHANISM/USERNAME/PASSWORD, KAFKA_TLS/KAFKA_TLS_CA_FILE\n'
  + 'and SCHEMA_REGISTRY_USERNAME/PASSWORD, as the services read them.';

export const tailTargets = ['anomalies', 'actions', 'results', 'decisions', 'recommendations', 'jobs', 'audit', 'dlq'] as const;

const pages: Record<CommandName, HelpPage> = {
  'caller add': {
    usage: 'caller add <id> --tenant <tenant> [--capability <cap>]...',
    summary: 'Creates an ed25519 key pair for a protocol caller: the private key in <home>/callers/<id>.pem, the public key in <home>/trust.json, which a running gateway (npm start) follows: the caller is admitted within a second.',
    options: [['--tenant <tenant>', 'the tenant the caller acts for (required)'], ['--capability <cap>', 'a capability it holds, repeatable (default map.maestro.*)']],
    example: 'npm run maestro -- caller add planner-bot --tenant acme',
  },
  'token add': {
    usage: 'token add <id> --tenant <tenant> [--assets <glob>]...',
    summary: 'Creates an API token for POST /v1/telemetry and the read API; prints it once and keeps only its SHA-256 in <home>/tokens.json, which a running gateway (npm start) follows: the token is accepted within a second.',
    options: [['--tenant <tenant>', 'the tenant it reports and reads for (required)'], ['--assets <glob>', 'asset ids it may report for (* and ?), repeatable (default all)']],
    example: 'TOKEN=$(npm run -s maestro -- token add ops --tenant acme)',
  },
  call: {
    usage: 'call <operation> --as <id> (--payload <json> | --payload @<file> | --payload-file <file>) [--idempotency-key <key>] [--get <path>]',
    summary: 'Signs a MAESTRO protocol call as a caller and POSTs it to the gateway; prints the HTTP status and the answer (exit 0 for 2xx, else 1).',
    options: [['--as <id>', 'the caller (from caller add)'], ['--payload <json|@file>', 'the payload, inline or from a file'], ['--payload-file <file>', 'the payload from a file'], ['--idempotency-key <key>', 'makes a retry of the same call safe'], ['--get <path>', 'print only this value of a 2xx answer (a dotted path: result.workOrders.0.workOrderId), for a script; another answer goes to stderr whole']],
    example: 'npm run maestro -- call query.goals --as planner-bot --payload \'{"charterId":"c1"}\'\n'
      + 'WO=$(npm run -s maestro -- call allocate --as planner-bot --payload \'{"charterId":"c1","executorIds":["w1"]}\' --get result.workOrders.0.workOrderId)',
  },
  tail: {
    usage: `tail <${tailTargets.join('|')}> [--asset <id>] [--follow] [--json] [--from-beginning | --since <duration>]`,
    summary: 'Reads decisions straight from Kafka, decoding Avro through the schema registry: anomalies, healing actions and results, routing decisions, recommendations, job requests, audit records, or every dead-letter topic (dlq). One line per record; stops at the end unless --follow.',
    options: [
      ['--asset <id>', 'only records about this asset (for jobs and decisions: the chosen or a candidate asset; for audit: the subject)'],
      ['--follow', 'keep reading new records until Ctrl-C'],
      ['--json', 'one JSON object per line instead of text'],
      ['--from-beginning', 'everything the topic still holds'],
      ['--since <duration>', 'records of the last 90s, 10m, 2h, 1d (default 1h)'],
    ],
    example: 'npm run maestro -- tail anomalies --asset checkout-eu-1 --follow',
  },
  assets: {
    usage: 'assets [--token <token>] [--json]',
    summary: 'Lists assets with their lifecycle, region, provider and labels: through the gateway read API (GET /v1/assets) with a token, else from the compacted assets topic.',
    options: [['--token <token>', 'read API token (default MAESTRO_TOKEN); without one the assets topic is read'], ['--json', 'one JSON object per line']],
    example: 'MAESTRO_TOKEN=$TOKEN npm run maestro -- assets',
  },
  'job submit': {
    usage: 'job submit [--id <job id>] [--class <class>] [--region <r>]... [--capability <c>]... [--compliance <tag>]... [--cost-ceiling <n>] [--latency-ms <n>] [--priority <n>] [--token <token>] [--json]',
    summary: 'Submits a job to the router through POST /v1/jobs and prints its routing decision: the chosen asset, every candidate\'s score and every rejection with its reason.',
    options: [
      ['--class <class>', 'job class (default "default")'], ['--region <r>', 'an allowed region, repeatable'],
      ['--capability <c>', 'a required capability, repeatable'], ['--compliance <tag>', 'a required compliance tag, repeatable'],
      ['--cost-ceiling <n>', 'highest acceptable cost per hour'], ['--latency-ms <n>', 'latency objective in ms'],
      ['--priority <n>', 'integer -1000..1000'], ['--id <job id>', 'job id (default a fresh UUID)'],
      ['--token <token>', 'read API token (default MAESTRO_TOKEN)'], ['--json', 'print the gateway\'s answer as JSON'],
    ],
    example: 'npm run maestro -- job submit --class batch --region eu-west-1 --capability gpu',
  },
  'plan show': {
    usage: 'plan show <charter> <goal> [--version <n>] [--json]',
    summary: 'Shows a goal\'s plan as a text Gantt chart: every step with its executor and scheduled start and finish, critical-path steps marked. Read from the planner\'s compacted plans topic, where each refined version is kept.',
    options: [['--version <n>', 'that version of the goal (default the latest)'], ['--json', 'the steps and their times as JSON']],
    example: 'npm run maestro -- plan show ch-research-1 g-1',
  },
};

/** One command's page: usage, what it does, options and an example. */
export function commandHelp(name: CommandName): string {
  const page = pages[name];
  const width = Math.max(...page.options.map(([option]) => option.length));
  return `usage: npm run maestro -- ${page.usage}\n\n${page.summary}\n\noptions:\n`
    + page.options.map(([option, text]) => `  ${option.padEnd(width)}  ${text}\n`).join('')
    + `  ${'-h, --help'.padEnd(width)}  this help\n\nexample:\n  ${page.example}\n`;
}

/** The overview `npm run maestro -- --help` prints. */
export function overviewHelp(operations: readonly string[]): string {
  return 'usage: npm run maestro -- <command> [options]   (<command> --help for its options and an example)\n\ncommands:\n'
    + commandNames.map((name) => `  ${pages[name].usage}\n`).join('')
    + `\noperations: ${operations.join(', ')}\n${ENVIRONMENT}\n`;
}
