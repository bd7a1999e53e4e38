import type { ConfigSpec } from '../../libs/runtime/src/config';

interface Described {
  name: string;
  config: ConfigSpec;
}

function row(f: ConfigSpec[string], where: string): string {
  const fallback = f.defaultText === undefined ? '*(required)*' : f.defaultText === '' ? '*(empty)*' : `\`${f.defaultText}\``;
  return `| \`${f.env}\` | ${where} | ${fallback} | ${f.doc} |`;
}

/** The configuration table, from the same field specs that parse the environment at start. */
export function renderConfigTable(base: ConfigSpec, services: readonly Described[]): string {
  const rows = Object.entries(base)
    // These two defaults differ per process (port per service, replica id per process).
    .map(([key, f]) => row(key === 'httpPort' ? { ...f, defaultText: 'per service (gateway 8080, others 9101–9110)' } : key === 'replicaId' ? { ...f, defaultText: 'host-pid-random' } : f, 'all'));
  for (const s of services) for (const f of Object.values(s.config)) rows.push(row(f, s.name));
  return ['| variable | service | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}
