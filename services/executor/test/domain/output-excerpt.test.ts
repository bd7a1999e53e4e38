import { describe, expect, it } from 'vitest';
import { createOutputExcerpt, excerptOf } from '../../src/domain';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('output excerpt', () => {
  it('keeps short output whole', () => {
    expect(excerptOf('hello\n', 64)).toBe('hello\n');
  });

  it('keeps the head and the tail of long output and says how much was cut', () => {
    const capture = createOutputExcerpt(10);
    for (const chunk of ['0123', '4567', '89ab', 'cdef', 'ghij']) capture.append(bytes(chunk));
    expect(capture.totalBytes).toBe(20);
    expect(capture.text()).toBe('01234\n…[10 bytes cut]…\nfghij');
  });

  it('holds at most maxBytes however much arrives', () => {
    const capture = createOutputExcerpt(100);
    for (let i = 0; i < 10_000; i++) capture.append(bytes('x'.repeat(100)));
    expect(capture.text().replace(/\n…\[\d+ bytes cut\]…\n/, '')).toHaveLength(100);
    expect(capture.text()).toContain('[999900 bytes cut]');
  });
});
