import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import asciiFirstStringWidth from '../../src/cli/ascii-string-width.js';

// The bundle measures text with asciiFirstStringWidth in place of string-width (package.json build): the same
// widths, ASCII by its length and anything else by string-width.
describe('asciiFirstStringWidth', () => {
  it('measures like string-width', () => {
    for (const s of ['', 'explore', '--res  WxH', 'a\tb', '\x1b[31mred\x1b[0m', 'e\u0301', '\u6a21\u578b', '\u{1F44D}\u{1F3FD}', '\u200bzero']) {
      expect(asciiFirstStringWidth(s), JSON.stringify(s)).toBe(stringWidth(s));
    }
    expect(asciiFirstStringWidth('\x1b[1mbold\x1b[22m', { countAnsiEscapeCodes: true })).toBe(stringWidth('\x1b[1mbold\x1b[22m', { countAnsiEscapeCodes: true }));
  });
});
