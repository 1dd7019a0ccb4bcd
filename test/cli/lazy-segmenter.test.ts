import { describe, expect, it } from 'vitest';
import { LazySegmenter } from '../../src/cli/lazy-segmenter.js';

// The bundle swaps Intl.Segmenter for LazySegmenter (package.json build): it must split every string the way
// the real one does, ASCII by its shortcut and anything else by the real segmenter.
const graphemes = (s: Iterable<{ segment: string; index: number }>) => [...s].map((x) => [x.segment, x.index]);

describe('LazySegmenter', () => {
  it('splits like Intl.Segmenter, on ASCII, controls, combining marks, CJK and emoji', () => {
    const real = new Intl.Segmenter();
    const lazy = new LazySegmenter();
    for (const s of ['', '--res  WxH  resolution', 'a\r\nb\tc', 'e\u0301t\u00e9', '\u6a21\u578b', '\u{1F44D}\u{1F3FD} ok', '\x1b[31mred\x1b[0m']) {
      expect(graphemes(lazy.segment(s)), JSON.stringify(s)).toEqual(graphemes(real.segment(s)));
    }
  });

  it('passes other granularities to the real segmenter', () => {
    const words = new LazySegmenter('en', { granularity: 'word' });
    expect([...words.segment('two words')].map((x) => x.segment)).toEqual(['two', ' ', 'words']);
  });
});
