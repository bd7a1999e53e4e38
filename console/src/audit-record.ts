/**
 * An audit record as the Audit view opens it: `detailsJson` is the deciding service's whole decision
 * as a JSON string (schemas/avro/audit-record.avsc), which printed as it is reads as one line of
 * escaped quotes. It is shown parsed, as `details`, in its place.
 */
export function readableAudit(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const text = record['detailsJson'];
  if (typeof text !== 'string') return { ...record };
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    if (field !== 'detailsJson') out[field] = value;
    else if (text === '') out['details'] = null;
    else {
      try {
        out['details'] = JSON.parse(text) as unknown;
      } catch {
        // Not JSON after all: shown as written, under its own name.
        out[field] = value;
      }
    }
  }
  return out;
}
