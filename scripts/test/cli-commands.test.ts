/** The CLI's grammar: every command parses to what it means, and every mistake is a usage error naming it and its command. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/arguments';
import { DEFAULT_TAIL_SINCE_MS, parseCommand } from '../cli/commands';
import { commandHelp, commandNames, overviewHelp } from '../cli/help';

describe('parseCommand: the new commands', () => {
  it('reads tail with its target, asset, switches and start', () => {
    expect(parseCommand(['tail', 'anomalies'])).toEqual({ kind: 'tail', target: 'anomalies', assetId: null, follow: false, json: false, sinceMs: DEFAULT_TAIL_SINCE_MS });
    expect(parseCommand(['tail', 'decisions', '--asset', 'a-1', '--follow', '--json', '--since', '10m']))
      .toEqual({ kind: 'tail', target: 'decisions', assetId: 'a-1', follow: true, json: true, sinceMs: 600_000 });
    expect(parseCommand(['tail', 'dlq', '--from-beginning'])).toMatchObject({ target: 'dlq', sinceMs: null });
    expect(parseCommand(['tail', 'audit', '--since=2h'])).toMatchObject({ sinceMs: 7_200_000 });
    expect(parseCommand(['tail', 'audit', '--since', '500ms'])).toMatchObject({ sinceMs: 500 });
  });

  it('reads --payload @file as a payload file, as curl does', () => {
    expect(parseCommand(['call', 'query.goals', '--as', 'a', '--payload', '@goal.json'])).toMatchObject({ payload: null, payloadFile: 'goal.json' });
  });

  it('reads assets, job submit and plan show', () => {
    expect(parseCommand(['assets', '--token', 't', '--json'])).toEqual({ kind: 'assets', token: 't', json: true });
    expect(parseCommand(['assets'])).toEqual({ kind: 'assets', token: null, json: false });
    expect(parseCommand(['job', 'submit', '--class', 'batch', '--region', 'eu-west-1', '--region', 'eu-central-1', '--capability', 'gpu', '--cost-ceiling', '2.5', '--latency-ms', '200', '--priority', '-3', '--id', 'j-1']))
      .toEqual({
        kind: 'job-submit', token: null, json: false,
        job: { jobId: 'j-1', jobClass: 'batch', priority: -3, allowedRegions: ['eu-west-1', 'eu-central-1'], capabilities: ['gpu'], complianceTags: [], costCeiling: 2.5, latencyObjectiveMs: 200 },
      });
    expect(parseCommand(['job', 'submit'])).toMatchObject({ job: { allowedRegions: [], costCeiling: null, latencyObjectiveMs: null } });
    expect(parseCommand(['job', 'submit']).kind === 'job-submit' && 'jobClass' in (parseCommand(['job', 'submit']) as { job: object }).job).toBe(false);
    expect(parseCommand(['plan', 'show', 'ch-1', 'g-1', '--version', '3'])).toEqual({ kind: 'plan-show', charterId: 'ch-1', goalId: 'g-1', version: 3, json: false });
  });

  it('answers -h and --help anywhere with that command\'s page, and help <command> too', () => {
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommand(['tail', '-h'])).toEqual({ kind: 'help', command: 'tail' });
    expect(parseCommand(['tail', 'anomalies', '--bogus', '--help'])).toEqual({ kind: 'help', command: 'tail' });
    expect(parseCommand(['job', 'submit', '--help'])).toEqual({ kind: 'help', command: 'job submit' });
    expect(parseCommand(['help', 'plan', 'show'])).toEqual({ kind: 'help', command: 'plan show' });
    expect(parseCommand(['caller', 'add', '--help'])).toEqual({ kind: 'help', command: 'caller add' });
  });

  it.each([
    [['tail'], /tail needs what to read: one of anomalies, actions/, 'tail'],
    [['tail', 'metrics'], /cannot tail 'metrics'/, 'tail'],
    [['tail', 'anomalies', 'audit'], /one thing at a time/, 'tail'],
    [['tail', 'anomalies', '--since', '10 minutes'], /--since must be a duration like 90s/, 'tail'],
    [['tail', 'anomalies', '--since', '1h', '--from-beginning'], /contradict/, 'tail'],
    [['tail', 'anomalies', '--follow=yes'], /--follow takes no value/, 'tail'],
    [['tail', 'anomalies', '--asset'], /--asset needs a value/, 'tail'],
    [['tail', 'jobs', '--asset', 'a'], /job requests name no asset/, 'tail'],
    [['tail', 'anomalies', '--colour', 'red'], /unknown option --colour/, 'tail'],
    [['assets', 'eu'], /takes no arguments/, 'assets'],
    [['job'], /'job' needs a subcommand: job submit/, 'job submit'],
    [['job', 'submit', '--priority', 'high'], /--priority must be an integer/, 'job submit'],
    [['job', 'submit', '--cost-ceiling', '-1'], /--cost-ceiling must be a positive number/, 'job submit'],
    [['plan', 'show', 'ch-1'], /a charter id and a goal id/, 'plan show'],
    [['plan', 'show', 'ch-1', 'g', '--version', '0'], /--version must be a version number/, 'plan show'],
    [['call', 'query.goals', '--as', 'a', '--payload', '@'], /needs a file name/, 'call'],
    [['--verbose'], /unknown option --verbose/, null],
    [['help', 'deploy'], /unknown command 'deploy'/, null],
  ])('refuses %j', (argv, message, command) => {
    let thrown: unknown;
    try {
      parseCommand(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toMatch(message);
    expect((thrown as UsageError).command).toBe(command);
  });
});

describe('help', () => {
  it.each(commandNames)('%s has a page with usage, options, -h and an example', (name) => {
    const page = commandHelp(name);
    expect(page).toMatch(new RegExp(`^usage: npm run maestro -- ${name} `));
    expect(page).toContain('\noptions:\n');
    expect(page).toContain('-h, --help');
    expect(page).toMatch(/\nexample:\n {2}.*npm run (-s )?maestro -- /);
  });

  it('lists every command in the overview', () => {
    const overview = overviewHelp(['query.goals']);
    for (const name of commandNames) expect(overview).toContain(`\n  ${name}`);
  });
});
