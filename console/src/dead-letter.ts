/**
 * A dead letter's original bytes as a person can read them: the text if they are UTF-8 without
 * control characters (JSON sent to the wrong topic, a typo'd payload), else the first bytes in hex
 * (Avro of another schema, a truncated frame). The read API keeps at most 4 KiB of each, as base64.
 */

/** How the read API serves a dead letter's key, value or header value. */
export interface KeptBytes {
  readonly base64: string | null;
  /** The original length, in bytes. */
  readonly length: number;
  /** True when only the first bytes were kept. */
  readonly truncated: boolean;
}

export type BytesPreview =
  | { readonly as: 'none' }
  | { readonly as: 'text' | 'hex'; readonly shown: string; readonly length: number; readonly truncated: boolean };

/** Hex bytes shown of a binary payload: enough to recognise a magic byte and a schema id. */
export const HEX_PREVIEW_BYTES = 48;

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Control characters other than tab, line feed and carriage return mark a payload as binary. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function previewBytes(kept: KeptBytes | null | undefined): BytesPreview {
  if (!kept || kept.base64 === null) return { as: 'none' };
  const raw = decodeBase64(kept.base64);
  const truncated = kept.truncated;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (!CONTROL.test(text)) return { as: 'text', shown: text, length: kept.length, truncated };
  } catch {
    /* not UTF-8: shown as hex */
  }
  const hex = Array.from(raw.subarray(0, HEX_PREVIEW_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return { as: 'hex', shown: hex, length: kept.length, truncated: truncated || raw.length > HEX_PREVIEW_BYTES };
}
